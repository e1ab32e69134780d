%% @doc TCP sockets on a jinet node, IPv4 and (as the default module of an
%% inetrc {tcp, jinet_tcp}. must) IPv6 addresses. See jinet_tcp.hrl.
-module(jinet_tcp).
-define(FAMILY, inet).
-include("jinet_tcp.hrl").
