package jinet.inet.dns;

/**
 * NAPTR RDATA, {@code {Order, Preference, Flags, Services, Regexp, Replacement}}. Flags and
 * services are lower-cased (inet_db:tolower/1). The regexp is what
 * {@code unicode:characters_to_list(Bin, utf8)} gives: a {@code String} of Unicode code points
 * (above U+FFFF as surrogate pairs) when the bytes are UTF-8, else a {@link Utf8DecodeFailure}.
 */
public record NaptrData(int order, int preference, String flags, String services, Object regexp,
                        String replacement) {
}
