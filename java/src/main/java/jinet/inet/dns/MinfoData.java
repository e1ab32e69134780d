package jinet.inet.dns;

/** MINFO RDATA, {@code {RMailbx, EMailbx}}. */
public record MinfoData(String responsibleMailbox, String errorMailbox) {
}
