package jinet.inet.dns;

import java.util.ArrayList;
import java.util.List;

/** inet_dns's {@code decode_name/2}: a possibly compressed domain name into its text form. */
final class DomainNameDecoder {
    /** The name and where the bytes after it start in the slice it was read from. */
    record Decoded(int next, String name) {
    }

    private DomainNameDecoder() {
    }

    /**
     * Reads a name starting at {@code pos} in the slice {@code [pos, end)} of {@code message}.
     * Labels are read from the slice; a pointer continues in the whole message. {@code next} is
     * the position after the first pointer, or after the root label when there is none.
     */
    static Decoded decode(byte[] message, int pos, int end) throws DnsFormatException {
        List<int[]> labels = new ArrayList<>();
        int limit = end;
        int pointerBytes = 0;  // decode_name's Cnt: 2 per pointer followed
        int afterFirstPointer = -1;
        while (true) {
            // "Insanity bailout - this must be a decode loop": the first clause of decode_name/5.
            if (pointerBytes > message.length) {
                throw new DnsFormatException("name: pointer loop");
            }
            if (pos >= limit) {
                throw new DnsFormatException("name: ends before its root label");
            }
            int b = message[pos] & 0xFF;
            if (b == 0) {
                return new Decoded(pointerBytes != 0 ? afterFirstPointer : pos + 1, text(message, labels));
            }
            switch (b >> 6) {
                case 0 -> {
                    int length = b & 0x3F;
                    if (pos + 1 + length > limit) {
                        throw new DnsFormatException("name: label runs past the data");
                    }
                    labels.add(new int[] {pos + 1, length});
                    pos += 1 + length;
                }
                case 3 -> {
                    if (pos + 2 > limit) {
                        throw new DnsFormatException("name: half a pointer");
                    }
                    int pointer = ((b & 0x3F) << 8) | (message[pos + 1] & 0xFF);
                    // <<_:Ptr/binary, Bin/binary>> = Buffer: any offset inside the whole message,
                    // forwards or backwards, even its very end.
                    if (pointer > message.length) {
                        throw new DnsFormatException("name: pointer past the message");
                    }
                    if (pointerBytes == 0) {
                        afterFirstPointer = pos + 2;
                    }
                    pos = pointer;
                    limit = message.length;
                    pointerBytes += 2;
                }
                default -> throw new DnsFormatException("name: label type 01 or 10");
            }
        }
    }

    /**
     * decode_name_labels/1: "." for no labels, else the labels joined with '.', where
     * decode_name_label/3 writes a '.' or '\' inside a label as "\." or "\\" and every other byte
     * as the char of the same code. No length limit applies when decoding.
     */
    private static String text(byte[] message, List<int[]> labels) {
        if (labels.isEmpty()) {
            return ".";
        }
        StringBuilder s = new StringBuilder();
        for (int[] label : labels) {
            if (s.length() > 0) {
                s.append('.');
            }
            for (int i = label[0]; i < label[0] + label[1]; i++) {
                char c = (char) (message[i] & 0xFF);
                if (c == '.' || c == '\\') {
                    s.append('\\');
                }
                s.append(c);
            }
        }
        return s.toString();
    }
}
