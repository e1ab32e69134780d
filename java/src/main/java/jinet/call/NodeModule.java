package jinet.call;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangDecodeException;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpErlangRef;
import com.ericsson.otp.erlang.OtpErlangTuple;
import java.util.concurrent.atomic.AtomicReference;
import jinet.node.LocalProcess;
import jinet.node.Message;
import jinet.node.Node;
import jinet.node.ProcessHandler;
import jinet.term.ErlangException;
import jinet.term.Terms;

/**
 * Module {@code jinet_node}: the runtime seen from Erlang, for operators and for the interop
 * suites that check processes, monitors and leaks from the outside.
 *
 * <ul>
 * <li>{@code process_count()}: how many jinet processes are alive.</li>
 * <li>{@code watch(Target, ReportTo)}: a new jinet process monitors the pid {@code Target} and
 *     sends every message it gets (the {@code 'DOWN'}) to {@code ReportTo} as
 *     {@code {jinet_watch, WatcherPid, Message}}; returns {@code {WatcherPid, MonitorRef}}.
 *     Sending it {@code demonitor} removes the monitor and ends it.</li>
 * <li>{@code idle(Name)}: a new jinet process, registered as {@code Name} unless it is
 *     {@code undefined}, that waits until it is sent {@code {exit, Reason}}; returns its pid. A
 *     registered one traps exits, as every registered jinet process (a server) does, so an
 *     exit signal reaches it as an {@code 'EXIT'} message and only {@code kill} ends it.</li>
 * </ul>
 */
public final class NodeModule {
    private static final String MODULE = "jinet_node";

    private NodeModule() {
    }

    public static void exportTo(Exports exports, Node node) {
        exports.export(MODULE, "process_count", 0, args -> new OtpErlangLong(node.processCount()));
        exports.export(MODULE, "watch", 2, args -> watch(node, args[0], args[1]));
        exports.export(MODULE, "idle", 1, args -> idle(node, args[0]));
    }

    private static OtpErlangObject watch(Node node, OtpErlangObject target, OtpErlangObject reportTo)
            throws ErlangException {
        if (!(target instanceof OtpErlangPid) || !(reportTo instanceof OtpErlangPid)) {
            throw ErlangException.error("badarg");
        }
        AtomicReference<OtpErlangRef> ref = new AtomicReference<>();
        LocalProcess watcher = node.spawn((self, message) -> {
            OtpErlangObject term = decode(message);
            if (Terms.isAtom(term, "demonitor")) {
                self.demonitor(ref.get());
                self.exit(Terms.atom("normal"));
                return;
            }
            self.send((OtpErlangPid) reportTo, Terms.tuple(Terms.atom("jinet_watch"), self.pid(), term));
            if (term instanceof OtpErlangTuple && Terms.isAtom(((OtpErlangTuple) term).elementAt(0), "DOWN")) {
                self.exit(Terms.atom("normal"));
            }
        });
        ref.set(watcher.monitor((OtpErlangPid) target));
        return Terms.tuple(watcher.pid(), ref.get());
    }

    private static OtpErlangObject idle(Node node, OtpErlangObject name) throws ErlangException {
        if (!(name instanceof OtpErlangAtom)) {
            throw ErlangException.error("badarg");
        }
        ProcessHandler waiter = (self, message) -> {
            OtpErlangObject term = decode(message);
            if (term instanceof OtpErlangTuple && ((OtpErlangTuple) term).arity() == 2
                    && Terms.isAtom(((OtpErlangTuple) term).elementAt(0), "exit")) {
                self.exit(((OtpErlangTuple) term).elementAt(1));
            }
        };
        String n = ((OtpErlangAtom) name).atomValue();
        try {
            return (n.equals("undefined") ? node.spawn(waiter) : node.register(n, waiter)).pid();
        } catch (IllegalStateException taken) {
            throw ErlangException.error("badarg");
        }
    }

    private static OtpErlangObject decode(Message message) {
        try {
            return message.term();
        } catch (OtpErlangDecodeException e) {
            return Terms.atom("undecodable");
        }
    }
}
