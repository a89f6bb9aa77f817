package jover.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import jover.overlay.Owners;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The hand-written -o parser: splitting, quoting, escapes, keys, values and warnings. */
class MountOptionsTest {

    private static MountOptions parse(String... optionStrings) throws InvalidOption {
        MountOptions o = new MountOptions(2);
        for (String s : optionStrings) {
            o.apply(s);
        }
        return o;
    }

    private static String error(String... optionStrings) {
        InvalidOption e = assertThrows(InvalidOption.class, () -> parse(optionStrings));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        return e.getMessage();
    }

    // ---- splitting ----

    @Test
    void splitItems_quotesProtectCommasAndAreRemoved() throws Exception {
        assertEquals(List.of("context=system_u:object_r:container_file_t:s0:c1,c2", "ro"),
                MountOptions.splitItems("context=\"system_u:object_r:container_file_t:s0:c1,c2\",ro"));
    }

    @Test
    void splitItems_quotesMayStartMidValue() throws Exception {
        assertEquals(List.of("a=x,y,z", "b"), MountOptions.splitItems("a=x\",y,\"z,b"));
    }

    @Test
    void splitItems_emptyItemsSkipped() throws Exception {
        assertEquals(List.of("a", "b", "c"), MountOptions.splitItems(",a,,b,,,c,"));
        assertEquals(List.of(), MountOptions.splitItems(""));
    }

    @Test
    void splitItems_backslashKeepsCommaFromSplitting() throws Exception {
        assertEquals(List.of("lowerdir=/a\\,b", "ro"), MountOptions.splitItems("lowerdir=/a\\,b,ro"));
    }

    @Test
    void splitItems_unterminatedQuote() {
        String m = error("lowerdir=/a,context=\"x,y");
        assertTrue(m.contains("unterminated double quote"), m);
    }

    // ---- layers and paths ----

    @Test
    void lowerdir_colonSeparatesLayersTopmostFirst() throws Exception {
        assertEquals(List.of("/top", "/mid", "/bottom"), parse("lowerdir=/top:/mid:/bottom").lowerDirs);
    }

    @Test
    void lowerdir_escapedColonAndBackslash() throws Exception {
        assertEquals(List.of("/a:b", "/c\\d", "/e"), parse("lowerdir=/a\\:b:/c\\\\d:/e").lowerDirs);
    }

    @Test
    void lowerdir_quotedWithCommaInPath() throws Exception {
        assertEquals(List.of("/a,b", "/c"), parse("\"lowerdir=/a,b:/c\"").lowerDirs);
        assertEquals(List.of("/a,b"), parse("lowerdir=/a\\,b").lowerDirs);
    }

    @ParameterizedTest
    @ValueSource(strings = {"lowerdir=/a::/b", "lowerdir=:/a", "lowerdir=/a:", "lowerdir=:"})
    void lowerdir_emptyLayer(String option) {
        String m = error(option);
        assertTrue(m.startsWith("empty layer in lowerdir"), m);
        assertTrue(m.contains("remove the extra ':'"), m);
    }

    @ParameterizedTest
    @ValueSource(strings = {"lowerdir=", "lowerdir", "lowerdir=\"\""})
    void lowerdir_empty(String option) {
        String m = error(option);
        assertTrue(m.startsWith("empty lowerdir"), m);
    }

    @Test
    void lowerdir_trailingLoneBackslash() {
        String m = error("lowerdir=/a\\");
        assertTrue(m.contains("lone backslash"), m);
    }

    @Test
    void upperAndWork_unescaped() throws Exception {
        MountOptions o = parse("lowerdir=/l,upperdir=/u\\:1,workdir=/w\\\\2");
        assertEquals("/u:1", o.upperDir);
        assertEquals("/w\\2", o.workDir);
    }

    @Test
    void upperdir_empty() {
        assertTrue(error("upperdir=").startsWith("empty upperdir"));
        assertTrue(error("workdir").startsWith("empty workdir"));
    }

    @Test
    void longLowerOptions_appendInOrderWithColonLists() throws Exception {
        MountOptions o = new MountOptions(2);
        o.addLower("/a:/b");
        o.addLower("/c\\:d");
        assertEquals(List.of("/a", "/b", "/c:d"), o.lowerDirs);
    }

    @Test
    void longAndDashOForms_doNotMix() throws Exception {
        MountOptions o = parse("lowerdir=/a");
        InvalidOption e = assertThrows(InvalidOption.class, () -> o.addLower("/b"));
        assertTrue(e.getMessage().contains("either with --lower or with -o lowerdir"), e.getMessage());
        MountOptions p = new MountOptions(2);
        p.setUpper("/u");
        e = assertThrows(InvalidOption.class, () -> p.apply("upperdir=/v"));
        assertTrue(e.getMessage().contains("either with -o upperdir or with --upper"), e.getMessage());
    }

    // ---- repeated -o ----

    @Test
    void repeatedOptions_mergeInOrderLaterWins() throws Exception {
        MountOptions o = parse("lowerdir=/a,ro,nosuid", "rw,suid,threads=5", "lowerdir=/b:/c,threads=6");
        assertEquals(List.of("/b", "/c"), o.lowerDirs);
        assertFalse(o.readOnly);
        assertTrue(o.suid);
        assertEquals(6, o.threads);
    }

    // ---- keys ----

    @Test
    void defaults() throws Exception {
        MountOptions o = parse("lowerdir=/a");
        assertNull(o.upperDir);
        assertNull(o.workDir);
        assertFalse(o.readOnly);
        assertFalse(o.userXattr);
        assertTrue(o.allowOther);
        assertTrue(o.defaultPermissions);
        assertTrue(o.suid, "suid by default, as fuse-overlayfs");
        assertFalse(o.dev);
        assertTrue(o.exec);
        assertFalse(o.noatime);
        assertEquals(86400.0, o.timeoutSeconds);
        assertEquals("auto", o.passthrough);
        assertEquals(MountOptions.defaultThreads(2), o.threads);
        assertEquals(List.of(), o.warnings());
    }

    @Test
    void switches_bothSpellings() throws Exception {
        MountOptions on = parse("ro,userxattr,suid,dev,noexec,noatime,noallow_other,nodefault_permissions");
        assertTrue(on.readOnly);
        assertTrue(on.userXattr);
        assertTrue(on.suid);
        assertTrue(on.dev);
        assertFalse(on.exec);
        assertTrue(on.noatime);
        assertFalse(on.allowOther);
        assertFalse(on.defaultPermissions);
        MountOptions off = parse("ro,suid,dev,noexec,noatime,noallow_other,nodefault_permissions",
                "rw,nosuid,nodev,exec,atime,allow_other,default_permissions");
        assertFalse(off.readOnly);
        assertFalse(off.suid);
        assertFalse(off.dev);
        assertTrue(off.exec);
        assertFalse(off.noatime);
        assertTrue(off.allowOther);
        assertTrue(off.defaultPermissions);
        assertFalse(parse("noatime,relatime").noatime);
        assertFalse(parse("noatime,strictatime").noatime);
    }

    @Test
    void switch_withValueIsAnError() {
        String m = error("ro=1");
        assertTrue(m.contains("option 'ro' takes no value"), m);
        assertTrue(error("nodev=yes").contains("'nodev' takes no value"));
    }

    @Test
    void timeout_acceptsNonNegativeNumbers() throws Exception {
        assertEquals(0.0, parse("timeout=0").timeoutSeconds);
        assertEquals(1.5, parse("timeout=1.5").timeoutSeconds);
        assertEquals(0.25, parse("timeout=.25").timeoutSeconds);
        assertEquals(1000000.0, parse("timeout=1000000").timeoutSeconds);
    }

    @ParameterizedTest
    @ValueSource(strings = {"timeout=-1", "timeout=abc", "timeout=1e3", "timeout=NaN", "timeout=Infinity",
        "timeout=", "timeout", "timeout=1.2.3", "timeout= 5"})
    void timeout_badValues(String option) {
        String m = error(option);
        assertTrue(m.contains("timeout"), m);
        assertTrue(m.contains("non-negative number") || m.contains("needs a value"), m);
    }

    @Test
    void threads_range() throws Exception {
        assertEquals(1, parse("threads=1").threads);
        assertEquals(64, parse("threads=64").threads);
    }

    @ParameterizedTest
    @ValueSource(strings = {"threads=0", "threads=65", "threads=-2", "threads=x", "threads=99999999999999999999",
        "threads="})
    void threads_badValues(String option) {
        String m = error(option);
        assertTrue(m.contains("threads"), m);
    }

    @Test
    void threads_badValueMessageSaysTheRange() {
        assertEquals("bad value in option 'threads=0': expected a whole number from 1 to 64", error("threads=0"));
    }

    @Test
    void defaultThreads_twiceTheCpusAtLeastFourAtMost64() {
        assertEquals(4, MountOptions.defaultThreads(1));
        assertEquals(4, MountOptions.defaultThreads(2));
        assertEquals(16, MountOptions.defaultThreads(8));
        assertEquals(64, MountOptions.defaultThreads(100));
    }

    @Test
    void passthrough_values() throws Exception {
        assertEquals("on", parse("passthrough=on").passthrough);
        assertEquals("off", parse("passthrough=off").passthrough);
        assertEquals("auto", parse("passthrough=off,passthrough=auto").passthrough);
        String m = error("passthrough=yes");
        assertTrue(m.contains("expected one of auto, on, off"), m);
    }

    // ---- foreign keys and warnings ----

    @Test
    void unknownKey_warnsOnceAndIsIgnored() throws Exception {
        MountOptions o = parse("lowerdir=/a,foo,bar=1", "foo=2");
        assertEquals(List.of("jover: ignoring unknown option 'foo'", "jover: ignoring unknown option 'bar'"),
                o.warnings());
    }

    @Test
    void podmanOptions_acceptedSilently() throws Exception {
        MountOptions o = parse("lowerdir=/l/A:/l/B,upperdir=/d,workdir=/w,,volatile,nodev,fsync=0,"
                + "xino=off,index=off,metacopy=off,redirect_dir=nofollow,xattr_permissions=0,x-systemd.automount");
        assertEquals(List.of(), o.warnings());
    }

    @Test
    void unsupportedKeys_warnNotSupportedYet() throws Exception {
        MountOptions o = parse("lowerdir=/a,context=\"system_u:object_r:container_file_t:s0:c1,c2\","
                + "noacl,index=on,xattr_permissions=2");
        assertEquals(List.of(
                "jover: option 'context' is not supported yet; ignored",
                "jover: option 'index=on' is not supported yet; ignored",
                "jover: option 'xattr_permissions=2' is not supported yet; ignored"), o.warnings());
    }

    @ParameterizedTest
    @ValueSource(strings = {"index=maybe", "redirect_dir=sometimes", "xino=1", "fsync=2", "xattr_permissions=3",
        "uidmapping=0:1000", "gidmapping=a:b:c", "squash_to_gid=-1", "context", "volatile=1", "noacl=0",
        "uidmapping=0:1000:0", "uidmapping=0:1000:10:5:2000:1", "gidmapping=0:1000:10:100:1005:1",
        "uidmapping=4294967295:0:2", "squash_to_root=1", "uidmapping=", "uidmapping=:", "uidmapping=0:1:2:3",
        "uidmapping=0:-1:2"})
    void foreignKeys_badValuesAreErrors(String option) {
        String key = option.replaceAll("=.*", "");
        String m = error(option);
        assertTrue(m.contains("'" + key), m);
    }

    @Test
    void ownerMapping_parsedAsFuseOverlayfsDoes() throws Exception {
        MountOptions o = parse("lowerdir=/a,uidmapping=0:1000:1:1:100000:65536,gidmapping=:0:2000:10,"
                + "squash_to_gid=7,squash_to_root");
        assertEquals(List.of(), o.warnings());
        assertEquals(List.of(new Owners.Range(0, 1000, 1), new Owners.Range(1, 100000, 65536)), o.uidRanges);
        assertEquals(List.of(new Owners.Range(0, 2000, 10)), o.gidRanges);
        assertEquals(-1, o.squashUid);
        assertEquals(7, o.squashGid);
        assertTrue(o.squashRoot);
        // containers/storage writes a leading ':' (podman run --uidmap); fuse-overlayfs skips empty items
        assertEquals(List.of(new Owners.Range(0, 100000, 65536)), parse("lowerdir=/a,uidmapping=:0:100000:65536").uidRanges);
    }
}
