package jinet.inet;

import com.ericsson.otp.erlang.OtpErlangBinary;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangString;

/** File names that arrive as terms, turned into the bytes erl would hand the kernel. */
public final class FileNames {
    private FileNames() {
    }

    /**
     * inet's filename2binary, for a file name given as a term (a netns path, a local socket's
     * path): a binary as it is; a list as
     * {@code unicode:characters_to_binary(List, unicode, file:native_name_encoding())}, null when
     * that fails (the option is then a bad one).
     */
    public static byte[] toBytes(OtpErlangObject v) {
        if (v instanceof OtpErlangBinary b) {
            return b.binaryValue();
        }
        if (!(v instanceof OtpErlangList) && !(v instanceof OtpErlangString)) {
            return null;
        }
        StringBuilder chars = new StringBuilder();
        if (!chardata(v, chars)) {
            return null;
        }
        return FileNameEncoding.nativeEncoding().encode(chars.toString()).orElse(null);
    }

    private static boolean chardata(OtpErlangObject v, StringBuilder out) {
        if (v instanceof OtpErlangString s) {
            String text = s.stringValue();
            for (int c : text.codePoints().toArray()) {
                if (!codePoint(c, out)) {
                    return false;
                }
            }
            return true;
        }
        if (v instanceof OtpErlangBinary b) {
            // Binaries inside chardata are UTF-8 (the input encoding is unicode).
            String text = utf8(b.binaryValue());
            if (text == null) {
                return false;
            }
            out.append(text);
            return true;
        }
        if (v instanceof OtpErlangList l) {
            for (OtpErlangObject e : l.elements()) {
                if (e instanceof OtpErlangLong n) {
                    if (!n.isLong() || n.longValue() > Integer.MAX_VALUE || !codePoint((int) n.longValue(), out)) {
                        return false;
                    }
                } else if (!(e instanceof OtpErlangList || e instanceof OtpErlangString
                        || e instanceof OtpErlangBinary) || !chardata(e, out)) {
                    return false;
                }
            }
            if (!l.isProper()) {
                OtpErlangObject t = l.getLastTail();
                // characters_to_binary accepts a binary tail; anything else is badarg.
                return t instanceof OtpErlangBinary && chardata(t, out);
            }
            return true;
        }
        return false;
    }

    private static boolean codePoint(int c, StringBuilder out) {
        if (c < 0 || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
            return false;
        }
        out.appendCodePoint(c);
        return true;
    }

    private static String utf8(byte[] bytes) {
        try {
            return java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return null;
        }
    }

}
