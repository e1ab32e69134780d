%% @doc UDP over IPv6 on a jinet node. See jinet_udp.hrl.
-module(jinet6_udp).
-define(FAMILY, inet6).
-include("jinet_udp.hrl").
