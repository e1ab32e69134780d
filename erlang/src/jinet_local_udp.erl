%% @doc Datagram sockets of the local (AF_UNIX) family on a jinet node. See jinet_udp.hrl.
-module(jinet_local_udp).
-define(FAMILY, local).
-include("jinet_udp.hrl").
