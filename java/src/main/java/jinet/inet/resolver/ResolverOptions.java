package jinet.inet.resolver;

import com.ericsson.otp.erlang.OtpErlangObject;
import java.util.List;

/**
 * inet_res's #options{} for one query, read from inet_db when the query starts.
 * {@code edns} is -1 for false, else the EDNS version.
 */
public record ResolverOptions(List<NameServer> nameservers, List<NameServer> altNameservers, int edns,
                              long udpPayloadSize, boolean recurse, long retry,
                              long servfailRetryTimeout, long timeout, boolean usevc) {
    /** A name server: an address tuple and a port. */
    public record NameServer(OtpErlangObject ip, int port) {
    }
}
