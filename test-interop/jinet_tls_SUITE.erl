%% TLS distribution: a jinet node started with -proto_dist inet_tls -ssl_dist_optfile F,
%% next to a BEAM node started the same way, each case run against both and compared.
%%
%% This node (ct_run) speaks plain TCP distribution, so it cannot reach either of them:
%% the TLS nodes are controlled by peer over a TCP control connection (quiet), and every
%% call to them goes through a BEAM "driver" peer that runs TLS distribution itself.
%% Certificates are made in priv_dir with openssl: a CA signing the nodes' certificates
%% and another CA signing a "rogue" client certificate.
-module(jinet_tls_SUITE).

-include_lib("common_test/include/ct.hrl").

-export([all/0, suite/0, init_per_suite/1, end_per_suite/1]).
-export([beam_to_node/1, node_to_beam/1, plain_tcp_refused/1,
         untrusted_client_refused/1]).

suite() ->
    [{timetrap, {minutes, 5}}].

all() ->
    [beam_to_node, node_to_beam, plain_tcp_refused, untrusted_client_refused].

init_per_suite(Config) ->
    case {os:find_executable("openssl"), code:which(inet_tls_dist)} of
        {false, _} -> {skip, "openssl is not installed"};
        {_, non_existing} -> {skip, "OTP's ssl application (erlang-ssl) is not installed"};
        _ -> start_all(Config)
    end.

start_all(Config) ->
    Dir = filename:join(proplists:get_value(priv_dir, Config), "tls"),
    ok = filelib:ensure_path(Dir),
    Host = host(),
    ok = make_pki(Dir, Host),
    Good = optfile(Dir, "good.conf", "client"),
    Rogue = optfile(Dir, "rogue.conf", "rogue"),
    TlsArgs = ["-proto_dist", "inet_tls", "-ssl_dist_optfile", Good],
    {ok, Driver, DNode} = start_tls_peer("jinet_tls_driver", Good),
    {ok, Rog, RNode} = start_tls_peer("jinet_tls_rogue", Rogue),
    case jinet_diff:start_pair(#{args => TlsArgs, quiet => true,
                                 wait_pong => false,
                                 log_dir => proplists:get_value(priv_dir, Config),
                                 root => jinet_diff:root(Config)}) of
        {ok, Pair = #{beam := #{node := B}, jinet := #{node := J}}} ->
            ct:log("BEAM TLS node ~p, node under test ~p, driver ~p, rogue ~p",
                   [B, J, DNode, RNode]),
            [{pair, Pair}, {beam, B}, {jnode, J}, {driver, Driver},
             {dnode, DNode}, {rogue, Rog}, {rnode, RNode} | Config];
        {error, Why} ->
            catch peer:stop(Driver),
            catch peer:stop(Rog),
            {fail, {nodes_not_started, Why}}
    end.

end_per_suite(Config) ->
    catch jinet_diff:stop_pair(proplists:get_value(pair, Config)),
    catch peer:stop(proplists:get_value(driver, Config)),
    catch peer:stop(proplists:get_value(rogue, Config)),
    ok.

%%--------------------------------------------------------------------
%% Cases

%% BEAM -> node over TLS: an rpc from the TLS driver.
beam_to_node(Config) ->
    Call = fun(N) -> on(Config, driver, rpc, call,
                        [N, inet, parse_address, ["1.2.3.4"], 30000]) end,
    same(Config, Call, {ok, {1, 2, 3, 4}}).

%% node -> BEAM over TLS: the node under test connects out to the driver.
node_to_beam(Config) ->
    D = ?config(dnode, Config),
    Call = fun(N) -> on(Config, driver, rpc, call,
                        [N, net_adm, ping, [D], 30000]) end,
    same(Config, Call, pong).

%% A plain-TCP node (this one) is refused by both TLS nodes.
plain_tcp_refused(Config) ->
    same(Config, fun(N) -> net_adm:ping(N) end, pang).

%% Under verify_peer + fail_if_no_peer_cert, a TLS node whose certificate comes from
%% another CA is refused by both; the driver (trusted certificate) still gets in.
untrusted_client_refused(Config) ->
    same(Config, fun(N) -> on(Config, rogue, net_adm, ping, [N]) end, pang),
    same(Config, fun(N) -> on(Config, driver, net_adm, ping, [N]) end, pong).

%%--------------------------------------------------------------------
%% Helpers

%% Call(Node) on the BEAM TLS node first (it must give Expected: otherwise the case
%% itself is wrong), then on the node under test, which must give the same.
same(Config, Call, Expected) ->
    B = ?config(beam, Config),
    J = ?config(jnode, Config),
    case Call(B) of
        Expected -> ok;
        Other -> ct:fail({beam_oracle_gave, Other, expected, Expected})
    end,
    case Call(J) of
        Expected -> ok;
        Got -> ct:fail({node_under_test_gave, Got, beam_gave, Expected})
    end.

on(Config, Who, M, F, A) ->
    peer:call(?config(Who, Config), M, F, A, 60000).

host() ->
    [_, Host] = string:split(atom_to_list(node()), "@"),
    Host.

%% A BEAM node with TLS distribution, hidden, controlled by peer over TCP.
start_tls_peer(Prefix, OptFile) ->
    Name = Prefix ++ "_" ++ os:getpid() ++ "_" ++
        integer_to_list(erlang:unique_integer([positive])),
    peer:start(#{name => Name,
                 args => ["-setcookie", atom_to_list(erlang:get_cookie()),
                          "-hidden", "-proto_dist", "inet_tls",
                          "-ssl_dist_optfile", OptFile],
                 connection => {{127, 0, 0, 1}, 0},
                 wait_boot => 60000}).

%% Server options are the same for every node: a certificate from the CA, clients must
%% present one from the same CA. ClientLeaf is the certificate used to connect out.
optfile(Dir, Name, ClientLeaf) ->
    F = fun(Leaf) -> filename:join(Dir, Leaf) end,
    Server = [{certfile, F("server.pem")}, {keyfile, F("server.key")},
              {cacertfile, F("ca.pem")}, {verify, verify_peer},
              {fail_if_no_peer_cert, true}],
    Client = [{certfile, F(ClientLeaf ++ ".pem")},
              {keyfile, F(ClientLeaf ++ ".key")},
              {cacertfile, F("ca.pem")}, {verify, verify_peer}],
    Path = F(Name),
    ok = file:write_file(Path, io_lib:format("~p.~n", [[{server, Server},
                                                        {client, Client}]])),
    Path.

make_pki(Dir, Host) ->
    San = "subjectAltName=DNS:" ++ Host ++ ",DNS:localhost,IP:127.0.0.1\n"
        "basicConstraints=CA:FALSE\n"
        "keyUsage=digitalSignature,keyEncipherment\n"
        "extendedKeyUsage=serverAuth,clientAuth\n",
    ok = file:write_file(filename:join(Dir, "leaf.ext"), San),
    CA = fun(N) ->
                 openssl(Dir, "req -x509 -newkey rsa:2048 -nodes -keyout " ++ N ++
                             ".key -out " ++ N ++ ".pem -days 3 -subj /CN=" ++ N)
         end,
    Leaf = fun(N, Signer) ->
                   openssl(Dir, "req -newkey rsa:2048 -nodes -keyout " ++ N ++
                               ".key -out " ++ N ++ ".csr -subj /CN=" ++ N),
                   openssl(Dir, "x509 -req -in " ++ N ++ ".csr -CA " ++ Signer ++
                               ".pem -CAkey " ++ Signer ++ ".key -CAcreateserial"
                               " -days 3 -out " ++ N ++ ".pem -extfile leaf.ext")
           end,
    CA("ca"),
    CA("other-ca"),
    Leaf("server", "ca"),
    Leaf("client", "ca"),
    Leaf("rogue", "other-ca"),
    ok.

openssl(Dir, Args) ->
    Cmd = "cd '" ++ Dir ++ "' && openssl " ++ Args ++ " 2>&1; echo \"rc=$?\"",
    Out = os:cmd(Cmd),
    case string:find(Out, "rc=0\n") of
        nomatch -> ct:fail({openssl_failed, Args, Out});
        _ -> ok
    end.
