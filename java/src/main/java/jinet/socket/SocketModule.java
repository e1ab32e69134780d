package jinet.socket;

import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import jinet.term.ErlangException;
import jinet.term.Exporter;
import jinet.term.Terms;

/**
 * inet's socket functions served by the node for its own sockets, so that
 * {@code rpc:call(J, inet, getopts, [S, Opts])} answers as the call on S's own node does. They
 * wait for the socket's answer, so they are exported as functions that may block. A socket
 * that is gone answers as inet answers for a closed port.
 */
final class SocketModule {
    private static final String INET = "inet";

    private SocketModule() {
    }

    /** One inet function: its name, arity, the request it makes of the socket, and a closed socket's answer. */
    private interface RequestOf {
        OtpErlangObject of(OtpErlangObject[] args);
    }

    static void exportTo(Exporter exports, SocketService service) {
        served(exports, service, "close", 1, a -> Terms.atom("close"), Terms.OK);
        served(exports, service, "setopts", 2, a -> Terms.tuple(Terms.atom("setopts"), a[1]), SocketProcess.EINVAL);
        served(exports, service, "getopts", 2, a -> Terms.tuple(Terms.atom("getopts"), a[1]), SocketProcess.EINVAL);
        served(exports, service, "getstat", 1, a -> Terms.atom("getstat"), SocketProcess.EINVAL);
        served(exports, service, "getstat", 2, a -> Terms.tuple(Terms.atom("getstat"), a[1]), SocketProcess.EINVAL);
        served(exports, service, "peername", 1, a -> Terms.atom("peername"), SocketProcess.EINVAL);
        served(exports, service, "sockname", 1, a -> Terms.atom("sockname"), SocketProcess.EINVAL);
        served(exports, service, "socknames", 1, a -> Terms.atom("socknames"), SocketProcess.EINVAL);
        served(exports, service, "port", 1, a -> Terms.atom("port"), SocketProcess.EINVAL);
        SctpModule.exportTo(exports);
        // A leak check for tests, beside jinet_node:process_count/0
        exports.export("jinet_node", "socket_count", 0,
                args -> new com.ericsson.otp.erlang.OtpErlangLong(service.openCount()));
        exports.exportBlocking(INET, "i", 0, args -> {
            for (String proto : new String[] {"tcp", "udp", "sctp"}) {
                print(service, proto, defaultFields());
            }
            return Terms.OK;
        });
        exports.exportBlocking(INET, "i", 1, args -> {
            print(service, protocol(args[0]), defaultFields());
            return Terms.OK;
        });
        exports.exportBlocking(INET, "i", 2, args -> {
            OtpErlangObject[] fields = Terms.properListElements(args[1]);
            if (fields == null) {
                throw ErlangException.error("function_clause");
            }
            print(service, protocol(args[0]), java.util.List.of(fields));
            return Terms.OK;
        });
    }

    private static java.util.List<OtpErlangObject> defaultFields() {
        java.util.List<OtpErlangObject> fields = new java.util.ArrayList<>();
        SocketTable.DEFAULT_FIELDS.forEach(f -> fields.add(Terms.atom(f)));
        return fields;
    }

    private static String protocol(OtpErlangObject p) throws ErlangException {
        for (String proto : new String[] {"tcp", "udp", "sctp"}) {
            if (Terms.isAtom(p, proto)) {
                return proto;
            }
        }
        throw ErlangException.error("function_clause");
    }

    /** Prints the table through the caller's group leader, as io:format in inet:i does. */
    private static void print(SocketService service, String proto, java.util.List<OtpErlangObject> fields)
            throws ErlangException {
        String text = SocketTable.render(new java.util.ArrayList<>(service.sockets()), proto, fields);
        jinet.term.CallContext context = jinet.term.CallContext.current();
        if (!text.isEmpty() && context != null) {
            context.putChars(text);
        }
    }

    private static void served(Exporter exports, SocketService service, String name, int arity, RequestOf request,
                               OtpErlangObject closed) {
        exports.exportBlocking(INET, name, arity, args -> {
            OtpErlangPid caller = SocketService.pidOf(args[0]);
            if (caller == null) {
                throw ErlangException.error("badarg");
            }
            OtpErlangObject answer = service.request(args[0], request.of(args), caller);
            return answer != null ? answer : closed;
        });
    }
}
