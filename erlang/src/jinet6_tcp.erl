%% @doc TCP over IPv6 on a jinet node. See jinet_tcp.hrl.
-module(jinet6_tcp).
-define(FAMILY, inet6).
-include("jinet_tcp.hrl").
