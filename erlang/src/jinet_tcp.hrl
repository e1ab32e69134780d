%% The stream socket module of one family, included by jinet_tcp (?FAMILY
%% inet), jinet6_tcp (inet6) and jinet_local_tcp (local): the callbacks
%% gen_tcp makes on a module socket, and the ones gen_tcp:connect/4 and
%% gen_tcp:listen/2 make on the module named by {tcp_module, M}. Each passes
%% the request to the socket's jinet node (see jinet_sock).

-export([connect/3, connect/4, listen/2, accept/1, accept/2,
         send/2, send/3, recv/2, recv/3, unrecv/2, shutdown/2]).

-define(PROTO, tcp).
-define(DELIVERIES, [tcp, tcp_closed, tcp_error, tcp_passive]).
%% controlling_process on a closed socket, as inet:tcp_controlling_process answers
-define(CP_CLOSED, {error, closed}).
-include("jinet_inet.hrl").

connect(SockAddr, Opts, Time) when is_map(SockAddr) ->
    jinet_sock:create(?MODULE, Opts,
                      {connect, ?FAMILY, SockAddr, 0, jinet_sock:strip(Opts),
                       jinet_sock:timeout_ms(Time)});
connect(Address, Port, Opts) ->
    connect(Address, Port, Opts, infinity).

%% A port out of range has no clause, as in inet_tcp.
connect(Address, Port, Opts, Time) when is_integer(Port), Port >= 0, Port =< 65535 ->
    jinet_sock:create(?MODULE, Opts,
                      {connect, address_family(Address), Address, Port,
                       jinet_sock:strip(Opts), jinet_sock:timeout_ms(Time)}).

listen(Port, Opts) ->
    jinet_sock:create(?MODULE, Opts,
                      {listen, listen_family(Opts), Port, jinet_sock:strip(Opts)}).

accept(L) -> accept(L, infinity).
accept(L, Time) when Time =:= infinity; is_integer(Time) ->
    jinet_sock:call(L, {accept, jinet_sock:time(Time)}, {error, closed}).

send(S, Data) -> jinet_sock:call(S, {send, Data}, {error, closed}).
send(S, Data, _Opts) -> send(S, Data).

%% The argument checks are prim_inet's clauses: what they do not match is a
%% function_clause, a negative time is no time limit.
recv(S, Length) -> recv(S, Length, infinity).
recv(S, Length, Time) when is_integer(Length), Length >= 0,
                           Time =:= infinity orelse is_integer(Time) ->
    jinet_sock:call(S, {recv, Length, jinet_sock:time(Time)}, {error, closed}).

unrecv(S, Data) -> jinet_sock:call(S, {unrecv, Data}, {error, closed}).

shutdown(S, How) when How =:= read; How =:= write; How =:= read_write ->
    jinet_sock:call(S, {shutdown, How}, {error, closed}).
