package jover.fuse.server;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Requests being served, so that an INTERRUPT can mark one. jover never answers INTERRUPT
 * itself (the protocol allows silence): the interrupted request still gets its own reply, and
 * long operations may poll {@link #isInterrupted} to give up early with EINTR.
 */
public final class InFlight {
    /** A request being served; {@code interrupted} is set by an INTERRUPT naming it. */
    static final class Token {
        final long unique;
        volatile boolean interrupted;

        Token(long unique) {
            this.unique = unique;
        }
    }

    private final ConcurrentHashMap<Long, Token> active = new ConcurrentHashMap<>();
    private static final ThreadLocal<Token> CURRENT = new ThreadLocal<>();

    Token begin(long unique) {
        Token t = new Token(unique);
        active.put(unique, t);
        CURRENT.set(t);
        return t;
    }

    void end(Token t) {
        active.remove(t.unique, t);
        CURRENT.remove();
    }

    /** Marks {@code unique} interrupted; a request already answered is simply not found. */
    void interrupt(long unique) {
        Token t = active.get(unique);
        if (t != null) {
            t.interrupted = true;
        }
    }

    /** Whether the request the calling thread is serving has been interrupted. */
    public static boolean isInterrupted() {
        Token t = CURRENT.get();
        return t != null && t.interrupted;
    }

    int size() {
        return active.size();
    }
}
