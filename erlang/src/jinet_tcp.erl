%% @doc TCP sockets on a jinet node, IPv4 and (as the default module of an
%% inetrc {tcp, jinet_tcp}. must) IPv6 addresses. See jinet_tcp.hrl.
-module(jinet_tcp).
-define(FAMILY, inet).
-include("jinet_tcp.hrl").

address_family(IP) when tuple_size(IP) =:= 8 -> inet6;
address_family(#{family := inet6}) -> inet6;
address_family(_) -> inet.

listen_family(Opts) ->
    case [IP || {Key, IP} <- Opts, Key =:= ip orelse Key =:= ifaddr,
                tuple_size(IP) =:= 8] of
        [] -> inet;
        _ -> inet6
    end.
