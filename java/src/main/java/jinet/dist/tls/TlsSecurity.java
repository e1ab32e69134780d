package jinet.dist.tls;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import jinet.dist.DistTransport;

/** {@code -proto_dist inet_tls}: TLS in front of every connection's handshake, per the node's option file. */
public final class TlsSecurity implements DistTransport.Security {
    private final TlsDistConfig config;

    public TlsSecurity(TlsDistConfig config) {
        this.config = config;
    }

    @Override
    public ChannelHandler serverHandler(Channel channel) {
        return config.newServerHandler(channel.alloc());
    }

    @Override
    public ChannelHandler clientHandler(Channel channel, String host, int port) {
        return config.newClientHandler(channel.alloc(), host, port);
    }
}
