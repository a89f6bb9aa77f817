package jover;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

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
    static final ArchRule overlayDoesNotUseCli = noClasses()
            .that().resideInAPackage("jover.overlay..")
            .should().dependOnClassesThat().resideInAPackage("jover.cli..");

    @ArchTest
    static final ArchRule fuseDoesNotKnowOverlayOrCli = noClasses()
            .that().resideInAPackage("jover.fuse..")
            .should().dependOnClassesThat().resideInAnyPackage("jover.overlay..", "jover.cli..")
            .because("nothing below the handler interface knows about layers");
}
