package jover.sys;

/**
 * A failed system call: the errno, the call's name and what it was applied to.
 * Expected outcomes (ENOENT during lookup, ENODATA for a missing xattr...) are thrown
 * without a stack trace and build their message only when asked, so they cost little more
 * than a return code.
 */
public final class ErrnoException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int errno;
    private final String call;
    private final String context;

    public ErrnoException(int errno, String call, String context) {
        super(null, null, false, !Errno.isExpected(errno));
        this.errno = errno;
        this.call = call;
        this.context = context;
    }

    public int errno() {
        return errno;
    }

    @Override
    public String getMessage() {
        return call + "(" + Raw.display(context) + "): " + Errno.describe(errno);
    }
}
