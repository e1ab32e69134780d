package jinet.inet.dns;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * inet_dns:encode/1 for the #dns_rec inet_res:make_query/5 builds. One question and at most an
 * OPT with the root name leave encode_labels/4's compression table nothing to point to, so the
 * name is written in full.
 */
final class QueryEncoder {
    private static final int MAX_LABEL = 63;
    private static final int MAX_NAME_ON_WIRE = 255;

    private QueryEncoder() {
    }

    static byte[] encode(int id, boolean rd, String domain, int type, int dnsClass, OptionalInt ednsPayload,
                         int ednsVersion) throws DnsEncodeException {
        byte[] name = encodeName(domain);
        ByteArrayOutputStream out = new ByteArrayOutputStream(12 + name.length + 4 + 11);
        // encode_header/5: QR=0, opcode 'query' (0), AA=TC=0, RD; RA=PR=0, Z=0, rcode 0.
        u16(out, id);
        out.write(rd ? 1 : 0);
        out.write(0);
        u16(out, 1);
        u16(out, 0);
        u16(out, 0);
        u16(out, ednsPayload.isPresent() ? 1 : 0);
        out.writeBytes(name);
        u16(out, type);
        u16(out, dnsClass);
        if (ednsPayload.isPresent()) {
            // #dns_rr_opt{udp_payload_size=PSz, version=Edns}: root name, type OPT, CLASS the payload
            // size, TTL <<ExtRcode=0, Version, Z=0:16>>, no RDATA.
            out.write(0);
            u16(out, DnsType.OPT);
            u16(out, ednsPayload.getAsInt());
            out.write(0);
            out.write(ednsVersion & 0xFF);
            u16(out, 0);
            u16(out, 0);
        }
        return out.toByteArray();
    }

    /** encode_name/4: name2labels/1, encode_labels/4, then the 255-byte limit. */
    static byte[] encodeName(String name) throws DnsEncodeException {
        List<byte[]> labels = nameToLabels(name);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] label : labels) {
            // encode_labels/4's guard 1 =< byte_size(L), byte_size(L) =< 63: no other clause.
            if (label.length < 1 || label.length > MAX_LABEL) {
                throw new DnsEncodeException("error", "function_clause",
                        "encode_labels/4: label of " + label.length + " bytes in " + show(name));
            }
            out.write(label.length);
            out.writeBytes(label);
        }
        out.write(0);
        if (out.size() > MAX_NAME_ON_WIRE) {
            throw new DnsEncodeException("error", "badarg",
                    "encode_name/4: " + out.size() + " bytes on the wire for " + show(name));
        }
        return out.toByteArray();
    }

    /**
     * name2labels/1: "" and "." are the root; '.' ends a label, except one trailing '.'; '\'
     * makes the next char literal (a '\' at the very end is itself literal). Every char must
     * be 0..255 (name2labels/3's guard).
     */
    private static List<byte[]> nameToLabels(String name) throws DnsEncodeException {
        List<byte[]> labels = new ArrayList<>();
        if (name.isEmpty() || name.equals(".")) {
            return labels;
        }
        ByteArrayOutputStream label = new ByteArrayOutputStream();
        int i = 0;
        while (true) {
            if (i == name.length() || (i == name.length() - 1 && name.charAt(i) == '.')) {
                labels.add(label.toByteArray());
                return labels;
            }
            char c = name.charAt(i);
            if (c == '.') {
                labels.add(label.toByteArray());
                label.reset();
                i++;
                continue;
            }
            if (c == '\\' && i + 1 < name.length()) {
                i++;
                c = name.charAt(i);
            }
            if (c > 255) {
                throw new DnsEncodeException("error", "function_clause",
                        "name2labels/3: char " + (int) c + " in " + show(name));
            }
            label.write(c);
            i++;
        }
    }

    private static void u16(ByteArrayOutputStream out, int value) {
        // <<V:16>> keeps the low 16 bits of any integer.
        out.write((value >> 8) & 0xFF);
        out.write(value & 0xFF);
    }

    private static String show(String name) {
        return name.length() > 80 ? "\"" + name.substring(0, 80) + "...\"" : "\"" + name + "\"";
    }
}
