%% @doc Stream sockets in the local (AF_UNIX) family on a jinet node. See
%% jinet_tcp.hrl.
-module(jinet_local_tcp).
-define(FAMILY, local).
-include("jinet_tcp.hrl").
