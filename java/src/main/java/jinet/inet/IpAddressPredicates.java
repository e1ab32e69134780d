package jinet.inet;

import java.math.BigInteger;

/**
 * {@code inet:is_ipv4_address/1}, {@code is_ipv6_address/1} and {@code is_ip_address/1} of
 * OTP 25. Their guards, {@code ((A bor B bor ...) band (bnot 16#ff)) =:= 0} on a tuple of the
 * right size, hold exactly when every element is an integer in {@code 0..255} (IPv4) or
 * {@code 0..65535} (IPv6): {@code bor} of a negative integer is negative, and {@code bor} of
 * anything but an integer fails the guard. Any other term is {@code false}; nothing raises.
 *
 * <p>The argument is a tuple's elements, each an integer or null for any other term; a null
 * array is a term that is not a tuple.
 */
public final class IpAddressPredicates {
    private static final BigInteger BYTE_MAX = BigInteger.valueOf(0xff);
    private static final BigInteger WORD_MAX = BigInteger.valueOf(0xffff);

    private IpAddressPredicates() {
    }

    public static boolean isIpv4Address(BigInteger[] tuple) {
        return tuple != null && tuple.length == 4 && allWithin(tuple, BYTE_MAX);
    }

    public static boolean isIpv6Address(BigInteger[] tuple) {
        return tuple != null && tuple.length == 8 && allWithin(tuple, WORD_MAX);
    }

    public static boolean isIpAddress(BigInteger[] tuple) {
        return isIpv4Address(tuple) || isIpv6Address(tuple);
    }

    private static boolean allWithin(BigInteger[] elements, BigInteger max) {
        for (BigInteger e : elements) {
            if (e == null || e.signum() < 0 || e.compareTo(max) > 0) {
                return false;
            }
        }
        return true;
    }
}
