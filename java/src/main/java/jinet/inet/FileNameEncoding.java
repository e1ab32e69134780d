package jinet.inet;

import com.sun.jna.Pointer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import jinet.inet.libc.Libc;

/**
 * The node's native file name encoding, {@code file:native_name_encoding()}, and the one place
 * where a file name given as characters becomes the bytes the kernel sees.
 *
 * <p>erts decides it once at start (erts_init_sys_common_misc): UTF-8 when
 * {@code setlocale(LC_CTYPE, "")} succeeds and {@code nl_langinfo(CODESET)} is then exactly
 * "UTF-8", latin1 otherwise: no locale variables, C/POSIX, or a locale that is not installed.
 * jinet asks libc the same question from the same environment, so both nodes started alike
 * agree; {@code newlocale} resolves LC_ALL, LC_CTYPE and LANG as setlocale does without changing
 * the JVM's own locale.
 */
public enum FileNameEncoding {
    LATIN1,
    UTF8;

    private static final FileNameEncoding NATIVE = fromLocale();

    public static FileNameEncoding nativeEncoding() {
        return NATIVE;
    }

    /** The atom file:native_name_encoding/0 returns. */
    public String atom() {
        return this == UTF8 ? "utf8" : "latin1";
    }

    /**
     * {@code unicode:characters_to_binary(Chars, unicode, Enc)} for a name already flattened to
     * characters: empty where a character has no encoding (above 255 in latin1, a surrogate or
     * beyond U+10FFFF in either), where BEAM gets an error tuple or badarg.
     */
    public Optional<byte[]> encode(int[] codePoints) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(codePoints.length);
        for (int c : codePoints) {
            if (c < 0 || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
                return Optional.empty();
            }
            if (this == LATIN1) {
                if (c > 255) {
                    return Optional.empty();
                }
                out.write(c);
            } else {
                out.writeBytes(new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8));
            }
        }
        return Optional.of(out.toByteArray());
    }

    public Optional<byte[]> encode(String chars) {
        return encode(chars.codePoints().toArray());
    }

    /** What erts would decide from this process's environment. */
    static FileNameEncoding fromLocale() {
        try {
            Pointer locale = Libc.INSTANCE.newlocale(Libc.LC_CTYPE_MASK, "", null);
            if (locale == null) {
                return LATIN1;
            }
            try {
                return "UTF-8".equals(Libc.INSTANCE.nl_langinfo_l(Libc.CODESET, locale)) ? UTF8 : LATIN1;
            } finally {
                Libc.INSTANCE.freelocale(locale);
            }
        } catch (LinkageError e) {
            // Without libc's locale calls there is nothing to ask; latin1 is erts' default.
            return LATIN1;
        }
    }
}
