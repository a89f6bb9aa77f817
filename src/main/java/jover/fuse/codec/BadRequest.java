package jover.fuse.codec;

/**
 * A request the decoder cannot turn into a {@link Request}: an opcode jover does not serve
 * (answered ENOSYS) or a body too short or malformed for its opcode (answered EINVAL). Thrown
 * without a stack trace: it is an answer, not a fault.
 */
public final class BadRequest extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why the request was refused. */
    public enum Kind {
        /** The opcode is not one jover serves. */
        UNKNOWN_OPCODE,
        /** The body is too short for its opcode, or a name in it is not a name. */
        MALFORMED
    }

    private final Kind kind;

    private BadRequest(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    static BadRequest unknown(int opcode) {
        return new BadRequest(Kind.UNKNOWN_OPCODE, "opcode " + opcode);
    }

    static BadRequest malformed(String what) {
        return new BadRequest(Kind.MALFORMED, what);
    }

    public Kind kind() {
        return kind;
    }
}
