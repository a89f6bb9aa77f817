package jover.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import jover.overlay.Owners;

/**
 * The mount options of one request, gathered from {@code -o} strings (in order; a later item
 * overrides an earlier one) and the long options, still unvalidated: paths are strings as given.
 *
 * <p>Syntax of one {@code -o} string: comma-separated {@code KEY[=VALUE]} items. A double quote
 * starts or ends a quoted stretch in which commas do not split (the quotes are removed); a
 * backslash keeps the next character from splitting. Empty items are skipped. In the path values
 * (lowerdir, upperdir, workdir) a backslash makes the next character literal, so {@code \:} is a
 * colon inside a layer path and {@code \\} a backslash; unescaped colons separate lower layers.
 */
final class MountOptions {
    static final double DEFAULT_TIMEOUT_SECONDS = 86400;
    static final int MAX_THREADS = 64;

    private static final Pattern DECIMAL = Pattern.compile("[0-9]+(\\.[0-9]*)?|\\.[0-9]+");
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,18}");

    /** Lower layers, topmost first; null when never given. */
    List<String> lowerDirs;
    /** Where lowerDirs came from ("-o lowerdir" or "--lower"), to refuse mixing the two. */
    private String lowerOrigin;
    String upperDir;
    private String upperOrigin;
    String workDir;
    private String workOrigin;

    boolean readOnly;
    boolean userXattr;
    boolean allowOther = true;
    boolean defaultPermissions = true;
    boolean suid = true; // as fuse-overlayfs and kernel overlayfs: container images carry set-id programs
    boolean dev;
    boolean exec = true;
    boolean noatime;
    double timeoutSeconds = DEFAULT_TIMEOUT_SECONDS;
    int threads;
    String passthrough = "auto";
    List<Owners.Range> uidRanges = List.of();
    List<Owners.Range> gidRanges = List.of();
    long squashUid = -1;
    long squashGid = -1;
    boolean squashRoot;
    private final Set<String> warnings = new LinkedHashSet<>();

    MountOptions(int availableProcessors) {
        threads = defaultThreads(availableProcessors);
    }

    /** Twice the processors (a long copy-up must not stall the mount), at least 4, at most 64. */
    static int defaultThreads(int availableProcessors) {
        return Math.min(MAX_THREADS, Math.max(4, 2 * availableProcessors));
    }

    /** Warning lines gathered so far, each starting with "jover: ". */
    List<String> warnings() {
        return List.copyOf(warnings);
    }

    // ---- long options ----

    /** One {@code --lower} value: a colon list like lowerdir's, appended below earlier ones. */
    void addLower(String list) throws InvalidOption {
        claimLower("--lower");
        if (lowerDirs == null) {
            lowerDirs = new ArrayList<>();
        }
        lowerDirs.addAll(splitLayers("--lower", list));
    }

    void setUpper(String dir) throws InvalidOption {
        upperOrigin = claim("upper directory", "--upper", "-o upperdir", upperOrigin);
        upperDir = nonEmpty("--upper", dir);
    }

    void setWork(String dir) throws InvalidOption {
        workOrigin = claim("work directory", "--work", "-o workdir", workOrigin);
        workDir = nonEmpty("--work", dir);
    }

    private void claimLower(String origin) throws InvalidOption {
        String other = origin.equals("--lower") ? "-o lowerdir" : "--lower";
        lowerOrigin = claim("lower layers", origin, other, lowerOrigin);
    }

    private static String claim(String what, String origin, String other, String previous)
            throws InvalidOption {
        if (previous != null && !previous.equals(origin)) {
            throw new InvalidOption("give the " + what + " either with " + origin + " or with "
                    + other + ", not both");
        }
        return origin;
    }

    private static String nonEmpty(String option, String dir) throws InvalidOption {
        if (dir.isEmpty()) {
            throw new InvalidOption("empty " + option + ": give a directory");
        }
        return dir;
    }

    // ---- -o strings ----

    /** Applies one {@code -o} argument, item by item. */
    void apply(String optionString) throws InvalidOption {
        for (String item : splitItems(optionString)) {
            int eq = item.indexOf('=');
            if (eq < 0) {
                applyItem(item, null);
            } else {
                applyItem(item.substring(0, eq), item.substring(eq + 1));
            }
        }
    }

    /**
     * Splits an option string at commas outside double quotes, removing the quotes and skipping
     * empty items. A backslash and the character after it are kept as they are (the path values
     * unescape them later), so {@code \,} does not split either.
     */
    static List<String> splitItems(String s) throws InvalidOption {
        List<String> items = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                cur.append(c).append(s.charAt(++i));
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                addItem(items, cur);
            } else {
                cur.append(c);
            }
        }
        if (quoted) {
            throw new InvalidOption("unterminated double quote in -o '" + s + "': close the quote");
        }
        addItem(items, cur);
        return items;
    }

    private static void addItem(List<String> items, StringBuilder cur) {
        if (cur.length() > 0) {
            items.add(cur.toString());
        }
        cur.setLength(0);
    }

    /**
     * Splits a colon list of layers and unescapes each (backslash makes the next character
     * literal). An empty list or an empty layer ({@code A::B}, a leading or trailing colon) is an error.
     */
    static List<String> splitLayers(String option, String value) throws InvalidOption {
        if (value == null || value.isEmpty()) {
            throw new InvalidOption("empty " + option + ": give at least one layer directory, e.g. "
                    + (option.startsWith("--") ? option + " /lower" : option + "=/lower"));
        }
        List<String> layers = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i <= value.length(); i++) {
            char c = i < value.length() ? value.charAt(i) : ':';
            if (i < value.length() && c == '\\') {
                cur.append(escaped(option, value, ++i));
            } else if (c == ':') {
                if (cur.length() == 0) {
                    throw new InvalidOption("empty layer in " + option + " '" + value
                            + "': remove the extra ':' (write \\: for a colon inside a path)");
                }
                layers.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        return layers;
    }

    /** Unescapes a single path value (upperdir, workdir). */
    static String unescapePath(String option, String value) throws InvalidOption {
        if (value == null || value.isEmpty()) {
            throw new InvalidOption("empty " + option + ": give a directory, e.g. " + option + "=/upper");
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            out.append(c == '\\' ? escaped(option, value, ++i) : c);
        }
        return out.toString();
    }

    private static char escaped(String option, String value, int i) throws InvalidOption {
        if (i >= value.length()) {
            throw new InvalidOption(option + " '" + value
                    + "' ends with a lone backslash: write \\\\ for a backslash");
        }
        return value.charAt(i);
    }

    // ---- the keys ----

    private void applyItem(String key, String value) throws InvalidOption {
        switch (key) {
            case "lowerdir":
                claimLower("-o lowerdir");
                lowerDirs = splitLayers(key, value);
                break;
            case "upperdir":
                upperOrigin = claim("upper directory", "-o upperdir", "--upper", upperOrigin);
                upperDir = unescapePath(key, value);
                break;
            case "workdir":
                workOrigin = claim("work directory", "-o workdir", "--work", workOrigin);
                workDir = unescapePath(key, value);
                break;
            case "ro":
            case "rw":
                readOnly = flag(key, value, "ro");
                break;
            case "userxattr":
                userXattr = flag(key, value, "userxattr");
                break;
            case "allow_other":
            case "noallow_other":
                allowOther = flag(key, value, "allow_other");
                break;
            case "default_permissions":
            case "nodefault_permissions":
                defaultPermissions = flag(key, value, "default_permissions");
                break;
            case "suid":
            case "nosuid":
                suid = flag(key, value, "suid");
                break;
            case "dev":
            case "nodev":
                dev = flag(key, value, "dev");
                break;
            case "exec":
            case "noexec":
                exec = flag(key, value, "exec");
                break;
            case "noatime":
            case "atime":
            case "relatime":
            case "strictatime":
                noatime = flag(key, value, "noatime");
                break;
            case "timeout":
                timeoutSeconds = timeout(value);
                break;
            case "threads":
                threads = wholeNumber(key, value, 1, MAX_THREADS);
                break;
            case "passthrough":
                passthrough = oneOf(key, value, "auto", "on", "off");
                break;
            default:
                applyForeignItem(key, value);
        }
    }

    /**
     * Keys of kernel overlayfs, fuse-overlayfs, FUSE, mount(8) and fstab that jover accepts:
     * silently where ignoring them changes nothing the caller can rely on, with a warning
     * where the caller asked for something jover does not do yet. Values are still checked.
     */
    private void applyForeignItem(String key, String value) throws InvalidOption {
        if (applyOwnerItem(key, value) || applyOverlayFeatureItem(key, value)) {
            return;
        }
        switch (key) {
            // Durability, tuning or bookkeeping switches: ignoring them is safe.
            case "volatile":
            case "nodiratime":
            case "lazytime":
            case "nolazytime":
            case "async":
            case "defaults":
            case "auto":
            case "noauto":
            case "user":
            case "nouser":
            case "users":
            case "nofail":
            case "_netdev":
            case "noacl": // fuse-overlayfs: do not enforce POSIX ACLs, which jover never does
                flag(key, value, key);
                break;
            case "fsync":
            case "writeback":
            case "fast_ino":
                wholeNumber(key, value, 0, 1);
                break;
            case "threaded":
                wholeNumber(key, value, 0, 1_000_000);
                break;
            case "xino":
                oneOf(key, value, "on", "off", "auto");
                break;
            case "uuid":
                oneOf(key, value, "on", "off", "null", "auto");
                break;
            // Asked-for behaviour jover does not have yet.
            case "context":
            case "fscontext":
            case "defcontext":
            case "rootcontext":
            case "plugins":
            case "fsname":
            case "subtype":
                required(key, value);
                unsupported(key);
                break;
            case "static_nlink":
            case "allow_root":
            case "sync":
            case "dirsync":
                flag(key, value, key);
                unsupported(key);
                break;
            default:
                if (!key.startsWith("x-") && !key.equals("comment")) {
                    warnings.add("jover: ignoring unknown option '" + key + "'");
                }
        }
    }

    /** fuse-overlayfs's owner mapping and squashing. Returns whether {@code key} was one of them. */
    private boolean applyOwnerItem(String key, String value) throws InvalidOption {
        switch (key) {
            case "uidmapping":
                uidRanges = IdMappings.parse(key, value);
                return true;
            case "gidmapping":
                gidRanges = IdMappings.parse(key, value);
                return true;
            case "squash_to_uid":
                squashUid = wholeNumber(key, value, 0, Integer.MAX_VALUE);
                return true;
            case "squash_to_gid":
                squashGid = wholeNumber(key, value, 0, Integer.MAX_VALUE);
                return true;
            case "squash_to_root":
                squashRoot = flag(key, value, key);
                return true;
            default:
                return false;
        }
    }

    /** Kernel overlayfs and fuse-overlayfs features: accepted where "off" (what jover does) is asked, else a warning. Returns whether {@code key} was one of them. */
    private boolean applyOverlayFeatureItem(String key, String value) throws InvalidOption {
        switch (key) {
            case "index":
            case "metacopy":
            case "nfs_export":
                unsupportedUnless(key, oneOf(key, value, "on", "off"), "off");
                return true;
            case "redirect_dir":
                String redirect = oneOf(key, value, "on", "follow", "nofollow", "off");
                unsupportedUnless(key, redirect.equals("nofollow") ? "off" : redirect, "off");
                return true;
            case "verity":
                unsupportedUnless(key, oneOf(key, value, "off", "on", "require"), "off");
                return true;
            case "xattr_permissions":
                unsupportedUnless(key, String.valueOf(wholeNumber(key, value, 0, 2)), "0");
                return true;
            case "noxattrs":
                unsupportedUnless(key, String.valueOf(wholeNumber(key, value, 0, 1)), "0");
                return true;
            default:
                return false;
        }
    }

    private void unsupportedUnless(String key, String value, String harmless) {
        if (!value.equals(harmless)) {
            warnings.add("jover: option '" + key + "=" + value + "' is not supported yet; ignored");
        }
    }

    private void unsupported(String key) {
        warnings.add("jover: option '" + key + "' is not supported yet; ignored");
    }

    // ---- values ----

    /** A switch without a value; true when {@code key} is the positive spelling {@code on}. */
    private static boolean flag(String key, String value, String on) throws InvalidOption {
        if (value != null) {
            throw new InvalidOption("option '" + key + "' takes no value (got '" + key + "=" + value
                    + "'): write just '" + key + "'");
        }
        return key.equals(on);
    }

    private static String required(String key, String value) throws InvalidOption {
        if (value == null || value.isEmpty()) {
            throw new InvalidOption("option '" + key + "' needs a value: write " + key + "=VALUE");
        }
        return value;
    }

    private static double timeout(String value) throws InvalidOption {
        if (!DECIMAL.matcher(required("timeout", value)).matches()) {
            throw bad("timeout", value, "a non-negative number of seconds, e.g. timeout=86400");
        }
        return Double.parseDouble(value);
    }

    private static int wholeNumber(String key, String value, int min, int max) throws InvalidOption {
        required(key, value);
        if (DIGITS.matcher(value).matches()) {
            long n = Long.parseLong(value);
            if (n >= min && n <= max) {
                return (int) n;
            }
        }
        throw bad(key, value, "a whole number from " + min + " to " + max);
    }

    private static String oneOf(String key, String value, String... allowed) throws InvalidOption {
        required(key, value);
        for (String a : allowed) {
            if (a.equals(value)) {
                return value;
            }
        }
        throw bad(key, value, "one of " + String.join(", ", allowed));
    }

    private static InvalidOption bad(String key, String value, String expected) {
        return new InvalidOption("bad value in option '" + key + "=" + value + "': expected " + expected);
    }
}
