package jinet.inet.dns;

/** CAA RDATA, {@code {Flags, Tag, Value}}; inet_dns lower-cases the tag (inet_db:tolower/1). */
public record CaaData(int flags, String tag, String value) {
}
