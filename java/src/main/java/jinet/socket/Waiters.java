package jinet.socket;

import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import io.netty.channel.EventLoop;
import java.util.ArrayDeque;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import jinet.term.Terms;

/**
 * Requests that wait on a socket (a recv for data, an accept for a connection, a send for room
 * in the buffer), answered in arrival order, each with its own time limit after which it gets
 * {@code {error, timeout}}. Touched on the socket's I/O thread only.
 */
final class Waiters {
    static final OtpErlangObject TIMEOUT = Terms.error("timeout");

    static final class Waiter {
        final Consumer<OtpErlangObject> reply;
        /** A recv's length. */
        final int length;
        /** An accept's caller, who owns what it accepts. */
        final OtpErlangPid caller;
        private ScheduledFuture<?> timer;

        Waiter(Consumer<OtpErlangObject> reply, int length, OtpErlangPid caller) {
            this.reply = reply;
            this.length = length;
            this.caller = caller;
        }
    }

    private final ArrayDeque<Waiter> queue = new ArrayDeque<>(2);

    /**
     * Queues {@code w}. With a time limit (an integer term of milliseconds; anything else is
     * none), it is answered timeout when the limit passes first, and {@code afterTimeout} runs.
     */
    void add(Waiter w, OtpErlangObject timeout, EventLoop loop, Runnable afterTimeout) {
        queue.add(w);
        if (timeout instanceof OtpErlangLong) {
            w.timer = loop.schedule(() -> {
                if (queue.remove(w)) {
                    w.reply.accept(TIMEOUT);
                    if (afterTimeout != null) {
                        afterTimeout.run();
                    }
                }
            }, ((OtpErlangLong) timeout).longValue(), TimeUnit.MILLISECONDS);
        }
    }

    Waiter peek() {
        return queue.peek();
    }

    /** The first waiter, out of the queue and its timer stopped; null when none waits. */
    Waiter take() {
        Waiter w = queue.poll();
        if (w != null && w.timer != null) {
            w.timer.cancel(false);
        }
        return w;
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    /** Answers every waiter with {@code answer}, in order. */
    void answerAll(OtpErlangObject answer) {
        Waiter w;
        while ((w = take()) != null) {
            w.reply.accept(answer);
        }
    }
}
