package jinet.inet;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code inet:getservbyname/2} and {@code inet:getservbyport/2} of OTP 25, over models of their
 * arguments. The path on BEAM: {@code inet} (the name must be an atom, else
 * {@code function_clause}) opens a UDP port and calls {@code prim_inet}, which takes the
 * protocol as an atom or a list (anything else: {@code {error,einval}}), measures it with
 * {@code length/1} (an improper list: {@code error:badarg}), checks lengths (at most 255) and,
 * for a port, {@code Port < 0} and {@code Port > 16#ffff} in term order ({@code {error,einval}}),
 * builds the request with {@code Port bsr 8} and {@code Port band 255} (a float:
 * {@code error:badarith}) and hands it to {@code port_control}, where a list that is not iodata
 * is {@code {error,einval}}. The inet driver reads a length byte, then that many bytes of the
 * flattened iodata (fewer there: {@code einval}) as a C string, so the text ends at a NUL byte;
 * then libc's lookup ({@link ServicesDatabase}), and {@code einval} when it finds nothing.
 */
public final class ServiceLookup {
    private final Supplier<ServicesDatabase> database;

    public ServiceLookup(Supplier<ServicesDatabase> database) {
        this.database = database;
    }

    /** The lookup BEAM does on this machine: the system's services file. */
    public static ServiceLookup system() {
        return new ServiceLookup(ServicesDatabase::system);
    }

    /**
     * A term seen as {@code prim_inet} sees a protocol (or {@code atom_to_list/1} of a name):
     * an atom (its characters), a proper list (its length and the bytes of its iodata, or
     * none when it is not iodata), an improper list, or something else.
     */
    public static final class Text {
        enum Kind { CHARS, IMPROPER_LIST, OTHER }

        private static final Text IMPROPER = new Text(Kind.IMPROPER_LIST, 0, null);
        private static final Text NEITHER = new Text(Kind.OTHER, 0, null);

        final Kind kind;
        final long length;
        final byte[] bytes;

        private Text(Kind kind, long length, byte[] bytes) {
            this.kind = kind;
            this.length = length;
            this.bytes = bytes;
        }

        /** An atom, or a flat list of character codes: iodata only if every code is a byte. */
        public static Text ofCodePoints(int[] codePoints) {
            byte[] bytes = new byte[codePoints.length];
            for (int i = 0; i < codePoints.length; i++) {
                if (codePoints[i] < 0 || codePoints[i] > 255) {
                    return new Text(Kind.CHARS, codePoints.length, null);
                }
                bytes[i] = (byte) codePoints[i];
            }
            return new Text(Kind.CHARS, codePoints.length, bytes);
        }

        public static Text ofString(String s) {
            return ofCodePoints(s.codePoints().toArray());
        }

        /**
         * A proper list of {@code length} elements whose iodata flattens to {@code iodata},
         * or null when it is not iodata.
         */
        public static Text ofList(long length, byte[] iodata) {
            return new Text(Kind.CHARS, length, iodata == null ? null : iodata.clone());
        }

        public static Text improperList() {
            return IMPROPER;
        }

        /** Neither an atom nor a list (a binary, a number, a tuple...). */
        public static Text other() {
            return NEITHER;
        }
    }

    /** A port argument: an integer, a float, or any other term (above all numbers). */
    public static final class PortArg {
        private final BigInteger integer;
        private final Double real;

        private PortArg(BigInteger integer, Double real) {
            this.integer = integer;
            this.real = real;
        }

        public static PortArg integer(BigInteger value) {
            return new PortArg(value, null);
        }

        public static PortArg integer(long value) {
            return integer(BigInteger.valueOf(value));
        }

        public static PortArg real(double value) {
            return new PortArg(null, value);
        }

        public static PortArg other() {
            return new PortArg(null, null);
        }

        boolean lessThanZero() {
            return integer != null ? integer.signum() < 0 : real != null && real < 0;
        }

        boolean greaterThan65535() {
            if (integer != null) {
                return integer.compareTo(BigInteger.valueOf(0xffff)) > 0;
            }
            return real == null || real > 0xffff; // a non-number is greater than every number
        }
    }

    /** What a call gives: a value, {@code {error, einval}}, or an error exception. */
    public static final class Outcome<T> {
        private final T value;
        private final String exception;

        private Outcome(T value, String exception) {
            this.value = value;
            this.exception = exception;
        }

        static <T> Outcome<T> ok(T value) {
            return new Outcome<>(value, null);
        }

        static <T> Outcome<T> einval() {
            return new Outcome<>(null, null);
        }

        static <T> Outcome<T> raise(String reason) {
            return new Outcome<>(null, reason);
        }

        /** {@code {ok, Value}}: the value. */
        public Optional<T> value() {
            return Optional.ofNullable(value);
        }

        /** {@code error:Reason}: the reason atom's name. */
        public Optional<String> exception() {
            return Optional.ofNullable(exception);
        }

        /** {@code {error, einval}}. */
        public boolean isEinval() {
            return value == null && exception == null;
        }

        @Override
        public String toString() {
            if (exception != null) {
                return "error:" + exception;
            }
            if (value == null) {
                return "{error,einval}";
            }
            return "{ok," + (value instanceof byte[] ? Arrays.toString((byte[]) value) : value) + "}";
        }
    }

    /**
     * {@code inet:getservbyname(Name, Protocol)}; {@code name} is null when the name is not an
     * atom, else the atom's characters.
     */
    public Outcome<Integer> getservbyname(int[] name, Text protocol) {
        if (name == null) {
            return Outcome.raise("function_clause");
        }
        if (protocol.kind == Text.Kind.OTHER) {
            return Outcome.einval();
        }
        if (protocol.kind == Text.Kind.IMPROPER_LIST) {
            return Outcome.raise("badarg");
        }
        Text nameText = Text.ofCodePoints(name);
        if (nameText.length > 255 || protocol.length > 255) {
            return Outcome.einval();
        }
        if (nameText.bytes == null || protocol.bytes == null) {
            return Outcome.einval(); // port_control: not iodata
        }
        byte[] proto = cString(protocol);
        if (proto == null) {
            return Outcome.einval();
        }
        return database.get().portByName(cString(nameText), proto)
                .map(Outcome::ok).orElseGet(Outcome::einval);
    }

    /** {@code inet:getservbyport(Port, Protocol)}: the name's bytes. */
    public Outcome<byte[]> getservbyport(PortArg port, Text protocol) {
        if (protocol.kind == Text.Kind.OTHER) {
            return Outcome.einval();
        }
        if (protocol.kind == Text.Kind.IMPROPER_LIST) {
            return Outcome.raise("badarg");
        }
        if (port.lessThanZero() || port.greaterThan65535() || protocol.length > 255) {
            return Outcome.einval();
        }
        if (port.integer == null) {
            return Outcome.raise("badarith"); // a float in range: Port bsr 8
        }
        if (protocol.bytes == null) {
            return Outcome.einval();
        }
        byte[] proto = cString(protocol);
        if (proto == null) {
            return Outcome.einval();
        }
        return database.get().nameByPort(port.integer.intValue(), proto)
                .map(Outcome::ok).orElseGet(Outcome::einval);
    }

    /**
     * The driver's view of a length-prefixed text: {@code length} bytes of the iodata (null when
     * there are fewer), up to the first NUL.
     */
    private static byte[] cString(Text text) {
        if (text.length > text.bytes.length) {
            return null;
        }
        int n = (int) text.length;
        for (int i = 0; i < n; i++) {
            if (text.bytes[i] == 0) {
                n = i;
                break;
            }
        }
        return Arrays.copyOf(text.bytes, n);
    }
}
