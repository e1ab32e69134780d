%% The datagram socket module of one family, included by jinet_udp (?FAMILY
%% inet), jinet6_udp (inet6) and jinet_local_udp (local): the callbacks
%% gen_udp makes on a module socket and gen_udp:open/2 on the module named by
%% {udp_module, M}. Sends to a host name resolve it on the jinet node, in the
%% socket's family, as gen_udp_socket does on its own node.

-export([open/1, open/2, send/2, send/3, send/4, send/5, recv/2, recv/3,
         connect/2, connect/3]).

-define(PROTO, udp).
-define(DELIVERIES, [udp, udp_closed, udp_error, udp_passive]).
%% inet:udp_controlling_process matches {ok, _} on the closed port's getopt
-define(CP_CLOSED, {'$jinet_error', {badmatch, {error, einval}}}).
-include("jinet_inet.hrl").

open(Port) -> open(Port, []).
open(Port, Opts) ->
    jinet_sock:create(?MODULE, Opts,
                      {open, listen_family(Opts), Port, jinet_sock:strip(Opts)}).

send(S, Data) -> jinet_sock:call(S, {send, Data}, {error, closed}).

send(S, Destination, Data) ->
    jinet_sock:call(S, {sendto, Destination, Data}, {error, closed}).

send(S, {_, _} = Destination, 0, Data) ->
    send(S, Destination, Data);
send(_S, {_, _}, PortZero, _Data) when is_integer(PortZero) ->
    {error, einval};
send(S, {_, _} = Destination, AncData, Data) when is_list(AncData) ->
    send(S, Destination, Data);
send(S, Host, Port, Data) ->
    send(S, Host, Port, [], Data).

%% As gen_udp's own send/5, the ancillary data is a list.
send(S, Addr, Port, AncData, Data)
  when is_tuple(Addr), tuple_size(Addr) =:= 4 orelse tuple_size(Addr) =:= 8,
       is_integer(Port), is_list(AncData) ->
    send(S, {Addr, Port}, Data);
send(S, Host, Service, AncData, Data) when is_list(AncData) ->
    case getaddr(Host) of
        {ok, Addr} ->
            case getserv(Service) of
                {ok, Port} -> send(S, {Addr, Port}, Data);
                {error, einval} -> badarg_unless_closed(S);
                Error -> Error
            end;
        {error, einval} -> badarg_unless_closed(S);
        Error -> Error
    end.

%% gen_udp looks a port up before the address, so a closed socket is closed
%% whatever the address: here the address is looked at first, and a closed
%% socket is then told apart.
badarg_unless_closed(S) ->
    case jinet_sock:call(S, info, closed) of
        closed -> {error, closed};
        _ -> exit(badarg)
    end.

recv(S, Length) -> recv(S, Length, infinity).
recv(S, Length, Time) ->
    jinet_sock:call(S, {recv, Length, jinet_sock:time(Time)}, {error, closed}).

connect(S, SockAddr) -> jinet_sock:call(S, {connect, SockAddr}, {error, closed}).
connect(S, Address, Port) ->
    case getaddr(Address) of
        {ok, IP} -> jinet_sock:call(S, {connect, {IP, Port}}, {error, closed});
        Error -> Error
    end.
