package jover.session;

/**
 * A mount that could not be made; the message is one line for the user, without the "jover: "
 * prefix. Thrown without a stack trace: it is an answer, not a fault.
 */
public final class MountFailure extends Exception {
    private static final long serialVersionUID = 1L;

    MountFailure(String message) {
        super(message, null, false, false);
    }
}
