package jinet.inet.ifaddrs;

/**
 * What {@code inet_udp:open(0, Opts)} would do before getifaddrs runs on its socket: the network
 * namespace file to open the socket in (null: the node's own), a descriptor to adopt instead
 * (-1: none), the address and port to bind, and the error the driver's setopts would give.
 */
record OpenSpec(byte[] netns, long fd, int[] bindAddr, int port, String setoptsError) {
}
