package jinet.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangObject;
import jinet.term.ErlangException;
import jinet.term.Terms;
import org.junit.jupiter.api.Test;

/** How applying an exported function fails, shaped as a BEAM node's apply/3 fails. */
class ExportsTest {
    private final Exports exports = new Exports();

    {
        exports.export("m", "f", 1, args -> Terms.tuple(Terms.atom("got"), args[0]));
        exports.export("m", "boom", 0, args -> {
            throw ErlangException.error("badarith");
        });
        exports.export("m", "bug", 0, args -> {
            throw new IllegalStateException("a bug");
        });
    }

    @Test
    void appliesByModuleNameAndArity() throws Exception {
        OtpErlangObject r = exports.apply(Terms.atom("m"), Terms.atom("f"), Terms.list(Terms.atom("x")));
        assertEquals(Terms.tuple(Terms.atom("got"), Terms.atom("x")), r);
    }

    @Test
    void unknownFunctionsAndArityMismatchesAreUndefWithTheCallAsStack() {
        OtpErlangList args = Terms.list(Terms.atom("x"), Terms.atom("y"));
        ErlangException e = assertThrows(ErlangException.class,
                () -> exports.apply(Terms.atom("m"), Terms.atom("f"), args));
        assertEquals(ErlangException.Kind.ERROR, e.kind());
        assertEquals(Terms.atom("undef"), e.reason());
        assertEquals(Terms.list(Terms.tuple(Terms.atom("m"), Terms.atom("f"), args, Terms.NIL)), e.stack());
    }

    @Test
    void anImproperArgumentListIsBadargFromApply() throws Exception {
        OtpErlangList improper = new OtpErlangList(new OtpErlangObject[] {Terms.atom("a")}, Terms.atom("b"));
        ErlangException e = assertThrows(ErlangException.class,
                () -> exports.apply(Terms.atom("m"), Terms.atom("f"), improper));
        assertEquals(Terms.atom("badarg"), e.reason());
    }

    @Test
    void raisedErrorsCarryTheCallAsStack() {
        ErlangException e = assertThrows(ErlangException.class,
                () -> exports.apply(Terms.atom("m"), Terms.atom("boom"), Terms.NIL));
        assertEquals(Terms.atom("badarith"), e.reason());
        assertEquals(1, e.stack().arity());
    }

    @Test
    void aJavaBugBecomesAnErrorNotAHang() {
        ErlangException e = assertThrows(ErlangException.class,
                () -> exports.apply(Terms.atom("m"), Terms.atom("bug"), Terms.NIL));
        assertEquals(Terms.tuple(Terms.atom("jinet_internal_error"), Terms.atom("IllegalStateException")), e.reason());
    }
}
