%% The callbacks every jinet socket module answers the same way, whatever its
%% protocol: inet's socket functions, close, controlling_process and name
%% lookups. Included by jinet_tcp.hrl (?PROTO tcp) and jinet_udp.hrl (udp),
%% with ?FAMILY and ?DELIVERIES (the message tags moved by
%% controlling_process) defined.

-export([close/1, controlling_process/2, fdopen/2,
         setopts/2, getopts/2, getstat/1, getstat/2, peername/1, sockname/1,
         socknames/1, port/1, monitor/1, cancel_monitor/1, info/1,
         socket_to_list/1, which_packet_type/1,
         family/0, getserv/1, getaddr/1, getaddr/2, getaddrs/1, getaddrs/2,
         translate_ip/1]).

-define(CLOSED_EINVAL, {error, einval}).

family() -> ?FAMILY.

address_family(Address) -> jinet_sock:address_family(?FAMILY, Address).
listen_family(Opts) -> jinet_sock:listen_family(?FAMILY, Opts).

getserv(Port) -> jinet_sock:getserv(?PROTO, Port).

getaddr(Address) -> getaddr(Address, infinity).
getaddr(Address, Timer) ->
    case getaddrs(Address, Timer) of
        {ok, [IP | _]} -> {ok, IP};
        Error -> Error
    end.

getaddrs(Address) -> getaddrs(Address, infinity).
getaddrs(Address, Timer) ->
    jinet_sock:getaddrs(jinet:node(), Address, address_family(Address),
                        jinet_sock:timeout_ms(Timer)).

translate_ip(IP) -> inet:translate_ip(IP, ?FAMILY).

%% inet:close/1 and gen_tcp:close/1 take a close that the socket reported
%% and nobody received, as inet:tcp_close/1 does.
close(S) ->
    Reply = jinet_sock:call(S, close, ok),
    receive {Closed, S} when Closed =:= tcp_closed; Closed =:= udp_closed -> Reply
    after 0 -> Reply
    end.

controlling_process(S, NewOwner) when is_pid(NewOwner) ->
    jinet_sock:controlling_process(S, NewOwner, ?DELIVERIES, ?CP_CLOSED).

fdopen(_Fd, _Opts) -> {error, einval}.

%% Argument checks as inet's and prim_inet's: setopts walks the list with a
%% comprehension, getopts and getstat have an is_list guard.
setopts(S, Opts) when is_list(Opts) ->
    jinet_sock:call(S, {setopts, Opts}, ?CLOSED_EINVAL);
setopts(_S, Opts) ->
    erlang:error({bad_generator, Opts}).
getopts(S, Opts) when is_list(Opts) -> jinet_sock:call(S, {getopts, Opts}, ?CLOSED_EINVAL).
getstat(S) -> jinet_sock:call(S, getstat, ?CLOSED_EINVAL).
getstat(S, Opts) when is_list(Opts) -> jinet_sock:call(S, {getstat, Opts}, ?CLOSED_EINVAL).
peername(S) -> jinet_sock:call(S, peername, ?CLOSED_EINVAL).
sockname(S) -> jinet_sock:call(S, sockname, ?CLOSED_EINVAL).
socknames(S) -> jinet_sock:call(S, socknames, ?CLOSED_EINVAL).
port(S) -> jinet_sock:call(S, port, ?CLOSED_EINVAL).
info(S) -> jinet_sock:call(S, info, #{states => [closed]}).
which_packet_type(S) -> jinet_sock:call(S, which_packet_type, error).

monitor(S) -> jinet_sock:monitor(S).
cancel_monitor(MRef) -> jinet_sock:cancel_monitor(MRef).
socket_to_list(S) -> jinet_sock:socket_to_list(S).
