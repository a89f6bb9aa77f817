package jover.cli;

/**
 * A mount option, path or combination jover refuses; the message is one line, without the
 * "jover: " prefix. Thrown without a stack trace: it is an answer, not a fault.
 */
final class InvalidOption extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidOption(String message) {
        super(message, null, false, false);
    }
}
