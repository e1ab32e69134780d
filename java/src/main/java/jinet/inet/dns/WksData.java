package jinet.inet.dns;

import java.util.Arrays;

/** WKS RDATA (class IN), {@code {{A,B,C,D}, Proto, BitMap}}; the bit map undecoded. */
public record WksData(int[] address, int protocol, byte[] bitmap) {
    @Override
    public boolean equals(Object o) {
        return o instanceof WksData w && Arrays.equals(address, w.address) && protocol == w.protocol
                && Arrays.equals(bitmap, w.bitmap);
    }

    @Override
    public int hashCode() {
        return (Arrays.hashCode(address) * 31 + protocol) * 31 + Arrays.hashCode(bitmap);
    }

    @Override
    public String toString() {
        return "WksData[address=" + Arrays.toString(address) + ", protocol=" + protocol + ", bitmap="
                + DataValues.show(bitmap) + "]";
    }
}
