package jinet.call;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jinet.term.ErlFunction;
import jinet.term.ErlangException;
import jinet.term.Exporter;
import jinet.term.Terms;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The functions this node exports, by module, name and arity: what every call protocol
 * (rex now, spawn_request later) applies. Anything not here is {@code undef}, as for a
 * module that is not loaded on a BEAM node.
 */
public final class Exports implements Exporter {
    private static final Logger log = LoggerFactory.getLogger(Exports.class);
    private final Map<Key, Entry> functions = new ConcurrentHashMap<>();
    /**
     * Functions found lately, by the atom objects that named them: the decoder hands out one
     * object per atom, so a call to a function called before is found by two reference compares,
     * with no key made and no text compared. Read and written without locks: a line is immutable,
     * and a lost write is only a miss later.
     */
    private final Hit[] recent = new Hit[64];

    private static final class Hit {
        final OtpErlangAtom module;
        final OtpErlangAtom function;
        final int arity;
        final Entry entry;

        Hit(OtpErlangAtom module, OtpErlangAtom function, int arity, Entry entry) {
            this.module = module;
            this.function = function;
            this.arity = arity;
            this.entry = entry;
        }
    }

    private static final class Entry {
        final ErlFunction function;
        final boolean blocking;

        Entry(ErlFunction function, boolean blocking) {
            this.function = function;
            this.blocking = blocking;
        }
    }

    @Override
    public void export(String module, String name, int arity, ErlFunction function) {
        add(module, name, arity, new Entry(function, false));
    }

    @Override
    public void exportBlocking(String module, String name, int arity, ErlFunction function) {
        add(module, name, arity, new Entry(function, true));
    }

    private void add(String module, String name, int arity, Entry entry) {
        if (functions.putIfAbsent(key(module, name, arity), entry) != null) {
            throw new IllegalStateException("exported twice: " + key(module, name, arity));
        }
    }

    /**
     * Whether {@code apply(Module, Function, Args)} may wait, so it must not run on an I/O
     * thread or in a server's turn; false for what is not exported (it fails at once).
     */
    public boolean isBlocking(OtpErlangObject module, OtpErlangObject function, OtpErlangObject args) {
        if (!(module instanceof OtpErlangAtom) || !(function instanceof OtpErlangAtom)
                || !(args instanceof OtpErlangList)) {
            return false;
        }
        Entry e = find((OtpErlangAtom) module, (OtpErlangAtom) function, ((OtpErlangList) args).arity());
        return e != null && e.blocking;
    }

    /**
     * {@code apply(Module, Function, Args)}: the value, or the exception with the stack a caller
     * sees: {@code [{M,F,Args,[]}]}.
     */
    public OtpErlangObject apply(OtpErlangObject module, OtpErlangObject function,
                                 OtpErlangObject args) throws ErlangException {
        OtpErlangObject[] argv = Terms.properListElements(args);
        if (argv == null || !(module instanceof OtpErlangAtom) || !(function instanceof OtpErlangAtom)) {
            throw ErlangException.error("badarg").withStackIfAbsent(
                    Terms.list(Terms.tuple(Terms.atom("erlang"), Terms.atom("apply"),
                            Terms.list(module, function, args), Terms.NIL)));
        }
        Entry entry = find((OtpErlangAtom) module, (OtpErlangAtom) function, argv.length);
        ErlFunction f = entry == null ? null : entry.function;
        if (f == null) {
            throw ErlangException.error("undef").withStackIfAbsent(callStack(module, function, args));
        }
        try {
            return f.apply(argv);
        } catch (ErlangException e) {
            throw e.withStackIfAbsent(callStack(module, function, args));
        } catch (RuntimeException e) {
            // A bug in jinet, not an answer BEAM would give: the caller gets an error, not a hang.
            log.error("{}:{}/{} failed", module, function, argv.length, e);
            throw ErlangException.error(Terms.tuple(Terms.atom("jinet_internal_error"),
                    Terms.atom(e.getClass().getSimpleName()))).withStackIfAbsent(callStack(module, function, args));
        }
    }

    private Entry find(OtpErlangAtom module, OtpErlangAtom function, int arity) {
        int line = (module.hashCode() * 31 + function.hashCode() + arity) & (recent.length - 1);
        Hit h = recent[line];
        if (h != null && h.module == module && h.function == function && h.arity == arity) {
            return h.entry;
        }
        Entry e = functions.get(key(module.atomValue(), function.atomValue(), arity));
        if (e != null) {
            recent[line] = new Hit(module, function, arity, e);
        }
        return e;
    }

    /** {@code [{M,F,Args,[]}]}, built only when a call fails. */
    private static OtpErlangList callStack(OtpErlangObject module, OtpErlangObject function, OtpErlangObject args) {
        return Terms.list(Terms.tuple(module, function, args, Terms.NIL));
    }

    /**
     * {@code module:name/arity}; looked up on every call, so no string is built for it. equals and hashCode
     * are written out: a record's generated ones bootstrap method handles the first time they run, which
     * the node's start (its first exports) paid for with ~10 ms.
     */
    private record Key(String module, String name, int arity) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && arity == k.arity && java.util.Objects.equals(module, k.module)
                    && java.util.Objects.equals(name, k.name);
        }

        @Override
        public int hashCode() {
            return (java.util.Objects.hashCode(module) * 31 + java.util.Objects.hashCode(name)) * 31 + arity;
        }

        @Override
        public String toString() {
            return module + ':' + name + '/' + arity;
        }
    }

    private static Key key(String module, String name, int arity) {
        return new Key(module, name, arity);
    }
}
