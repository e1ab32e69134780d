package jinet.socket;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangTuple;
import com.sun.jna.LastErrorException;
import java.util.Set;
import jinet.inet.Errno;
import jinet.inet.libc.Libc;
import jinet.term.ErlangException;
import jinet.term.Exporter;
import jinet.term.Terms;

/**
 * {@code gen_sctp:open/0,1,2} served by the node. jinet hosts no SCTP sockets; it answers as
 * BEAM does where SCTP cannot be had: the options are checked as inet's sctp_opt checks their
 * names, then the error is what erl's driver would meet (no libsctp, or the kernel's refusal).
 */
final class SctpModule {
    private static final Set<String> OPTIONS = Set.of("debug", "mode", "active", "buffer", "tos", "tclass", "ttl",
            "priority", "dontroute", "reuseaddr", "linger", "recvtos", "recvtclass", "recvttl", "sndbuf", "recbuf",
            "ipv6_v6only", "high_msgq_watermark", "low_msgq_watermark", "bind_to_device", "sctp_rtoinfo",
            "sctp_associnfo", "sctp_initmsg", "sctp_autoclose", "sctp_nodelay", "sctp_disable_fragments",
            "sctp_i_want_mapped_v4_addr", "sctp_maxseg", "sctp_primary_addr", "sctp_set_peer_primary_addr",
            "sctp_adaptation_layer", "sctp_peer_addr_params", "sctp_default_send_param", "sctp_events",
            "sctp_delayed_ack_time", "sctp_status", "sctp_get_peer_addr_info",
            "ip", "ifaddr", "port", "type", "netns", "fd");
    private static final int AF_INET = 2;
    private static final int SOCK_SEQPACKET = 5;
    private static final int IPPROTO_SCTP = 132;

    /**
     * Whether libsctp can be loaded: erl's inet driver loads it at start and, without it, calls
     * SCTP unsupported (eprotonosupport) before asking the kernel anything.
     */
    private static final class Libsctp {
        // on first use: the check loads JNA, which a node's start-up need not wait for
        static final boolean LOADABLE = loadable("libsctp.so.1");
    }

    private SctpModule() {
    }

    private static boolean loadable(String name) {
        try {
            com.sun.jna.NativeLibrary.getInstance(name);
            return true;
        } catch (UnsatisfiedLinkError e) {
            return false;
        }
    }

    static void exportTo(Exporter exports) {
        exports.exportBlocking("gen_sctp", "open", 0, args -> open(Terms.NIL));
        exports.exportBlocking("gen_sctp", "open", 1, args -> {
            if (args[0] instanceof OtpErlangLong) {
                return open(Terms.list(Terms.tuple(Terms.atom("port"), args[0])));
            }
            return open(args[0]);
        });
        exports.exportBlocking("gen_sctp", "open", 2, args -> {
            OtpErlangObject[] opts = Terms.properListElements(args[1]);
            if (!(args[0] instanceof OtpErlangLong) || opts == null) {
                throw ErlangException.error("badarg");
            }
            OtpErlangObject[] all = new OtpErlangObject[opts.length + 1];
            all[0] = Terms.tuple(Terms.atom("port"), args[0]);
            System.arraycopy(opts, 0, all, 1, opts.length);
            return open(new com.ericsson.otp.erlang.OtpErlangList(all));
        });
    }

    private static OtpErlangObject open(OtpErlangObject opts) throws ErlangException {
        OtpErlangObject[] items = Terms.properListElements(opts);
        if (items == null) {
            throw ErlangException.error("badarg");
        }
        for (OtpErlangObject o : items) {
            boolean ok = Terms.isAtom(o, "inet") || Terms.isAtom(o, "inet6") || Terms.isAtom(o, "binary")
                    || Terms.isAtom(o, "list")
                    || o instanceof OtpErlangTuple && ((OtpErlangTuple) o).arity() == 2
                    && ((OtpErlangTuple) o).elementAt(0) instanceof OtpErlangAtom
                    && OPTIONS.contains(((OtpErlangAtom) ((OtpErlangTuple) o).elementAt(0)).atomValue());
            if (!ok) {
                throw ErlangException.error("badarg");
            }
        }
        if (!Libsctp.LOADABLE) {
            return Terms.error("eprotonosupport");
        }
        try {
            int fd = Libc.INSTANCE.socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP);
            Libc.INSTANCE.close(fd);
            // The kernel has SCTP, jinet does not serve it
            return Terms.error("eprotonosupport");
        } catch (LastErrorException e) {
            return Terms.error(Errno.name(e.getErrorCode()));
        }
    }
}
