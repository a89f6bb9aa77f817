package jover;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.nio.ByteBuffer;

/**
 * The layer rules of shared/ARCHITECTURE.md, checked on the main classes. Each rule names
 * classes that exist, so ArchUnit's default "fail on empty should" also catches a rule whose
 * package was renamed away. ArchUnit reads bytecode: a use of a compile-time constant from
 * another package (e.g. {@code Errno.EIO}) is inlined by javac and is not seen as a dependency.
 */
@AnalyzeClasses(packages = "jover", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule onlySysTouchesJnr = noClasses()
            .that().resideOutsideOfPackage("jover.sys..")
            .should().dependOnClassesThat().resideInAnyPackage("jnr..", "com.kenai.jffi..")
            .because("native calls live in one package");

    @ArchTest
    static final ArchRule abiAndCodecArePure = noClasses()
            .that().resideInAnyPackage("jover.fuse.abi..", "jover.fuse.codec..")
            .should().dependOnClassesThat(resideInAPackage("jover..")
                    .and(not(resideInAnyPackage("jover.fuse.abi..", "jover.fuse.codec.."))))
            .because("the FUSE abi and codec depend on nothing in jover but each other");

    @ArchTest
    static final ArchRule nodeStandsAlone = noClasses()
            .that().resideInAPackage("jover.node..")
            .should().dependOnClassesThat(resideInAPackage("jover..").and(not(resideInAPackage("jover.node.."))))
            .because("the node tables know nothing of layers or FUSE");

    @ArchTest
    static final ArchRule overlayDoesNotKnowWhoRunsIt = noClasses()
            .that().resideInAPackage("jover.overlay..")
            .should().dependOnClassesThat().resideInAnyPackage("jover.cli..", "jover.session..", "jover.daemon..");

    @ArchTest
    static final ArchRule sessionOwnsNoProcess = noClasses()
            .that().resideInAPackage("jover.session..")
            .should().dependOnClassesThat().resideInAnyPackage("jover.cli..", "jover.daemon..")
            .orShould().callMethod(jover.sys.ProcessCalls.class, "setsid")
            .orShould().callMethod(jover.sys.ProcessCalls.class, "umask", int.class)
            .orShould().callMethod(jover.sys.ProcessCalls.class, "detachStdio")
            .because("a session is one mount; the process around it is the daemon's (many sessions may share one)");

    @ArchTest
    static final ArchRule cliParsesAndValidatesOnly = noClasses()
            .that().resideInAPackage("jover.cli..")
            .should().dependOnClassesThat().resideInAnyPackage("jover.fuse..", "jover.node..")
            .because("the command line makes a MountConfig; mounting is the session's");

    @ArchTest
    static final ArchRule fuseDoesNotKnowOverlayOrCli = noClasses()
            .that().resideInAPackage("jover.fuse..")
            .should().dependOnClassesThat().resideInAnyPackage("jover.overlay..", "jover.cli..")
            .because("nothing below the handler interface knows about layers");

    @ArchTest
    static final ArchRule overlaySpeaksItsOwnTypes = noClasses()
            .that().resideInAPackage("jover.overlay..")
            .should().dependOnClassesThat().resideInAnyPackage("jover.fuse.abi..", "jover.fuse.codec..",
                    "jover.fuse.transport..")
            .because("the overlay answers with the server's types; the server maps them to wire structs");

    @ArchTest
    static final ArchRule transportIsBelowTheServer = noClasses()
            .that().resideInAPackage("jover.fuse.transport..")
            .should().dependOnClassesThat().resideInAPackage("jover.fuse.server..")
            .because("the server runs on a transport, never the other way round");

    /** A call that reads or writes a number at an offset of a buffer: decoding or encoding wire bytes. */
    private static final DescribedPredicate<JavaMethodCall> WIRE_FIELD_ACCESS =
            new DescribedPredicate<>("reads or writes a number at an offset of a ByteBuffer") {
                @Override
                public boolean test(JavaMethodCall call) {
                    return call.getTargetOwner().isAssignableTo(ByteBuffer.class)
                            && call.getName().matches("(get|put)(Short|Int|Long)");
                }
            };

    @ArchTest
    static final ArchRule wireBytesOnlyInTheCodec = noClasses()
            .that().resideOutsideOfPackages("jover.fuse.codec..", "jover.sys..")
            .should().callMethodWhere(WIRE_FIELD_ACCESS)
            .because("requests are decoded and replies encoded in one place, the codec (sys parses kernel structs"
                    + " such as statx)");

    /** Each top-level class (with its nested classes) is one slice. */
    private static final SliceAssignment TOP_LEVEL_CLASSES = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass c) {
            String name = c.getName();
            int nested = name.indexOf('$');
            return SliceIdentifier.of(nested < 0 ? name : name.substring(0, nested));
        }

        @Override
        public String getDescription() {
            return "top-level classes";
        }
    };

    @ArchTest
    static final ArchRule classesAreFreeOfCycles = slices().assignedFrom(TOP_LEVEL_CLASSES).should().beFreeOfCycles()
            .because("two files that depend on each other are one idea split in two, or two tangled in one");

    @ArchTest
    static final ArchRule packagesAreFreeOfCycles = slices().matching("jover.(**)").should().beFreeOfCycles()
            .because("each layer depends only on the layers below it");
}
