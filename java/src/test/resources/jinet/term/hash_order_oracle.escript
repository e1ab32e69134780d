#!/usr/bin/env escript
%%! -noshell
%% BEAM's side of jinet.term.HashOrderTest: seeded random ETS set tables and maps, each
%% printed as one line "KIND Base64(term_to_binary(Case))" with the inputs and what BEAM
%% answered for them.
%%
%%   ATOM      {Atom, [I]}          maps:keys(#{{Atom, I} => I || I <- 1..64}) as I's, to
%%                                  calibrate the atom-table index of Atom in this node
%%   ATOMCOUNT N                    erlang:system_info(atom_count)
%%   ETS       {Kind, Ops, Tab2list, MatchObjectSame, SelectSame}
%%             Ops = [{ins, Key, Val} | {del, Key}], applied in order to a fresh
%%             ets:new(Name, [named_table]) table
%%   MAP       {Kind, KVs, Keys, Values, ToList, SameForOtherInsertOrders}
%%             KVs = [{Key, Val}] put one at a time (M#{K => V}) into #{}
-mode(compile).

main([SeedArg]) ->
    Seed = list_to_integer(SeedArg),
    rand:seed(exsss, {Seed, 17, 4711}),
    calibrate([inet, inet6, in, a, aaaa, cname, ptr]),
    out('ATOMCOUNT', erlang:system_info(atom_count)),
    [ets_case(K, rand:uniform(100)) || K <- kinds(300, [inet, inet6, mixed])],
    [ets_case(atom, rand:uniform(100)) || _ <- lists:seq(1, 20)],
    [ets_case(K, 256 + rand:uniform(500)) || K <- kinds(8, [inet, mixed])],
    ets_shrink_case(),
    [map_case(dns, 32 + rand:uniform(168)) || _ <- lists:seq(1, 300)],
    [map_case(dns, rand:uniform(32)) || _ <- lists:seq(1, 100)],
    [map_case(collide, 32 + rand:uniform(70)) || _ <- lists:seq(1, 20)],
    halt(0);
main(_) ->
    io:format(standard_error, "usage: hash_order_oracle.escript Seed~n", []),
    halt(2).

kinds(N, Ks) -> [lists:nth(1 + (I rem length(Ks)), Ks) || I <- lists:seq(1, N)].

out(Kind, Term) ->
    io:format("~s ~s~n", [Kind, base64:encode(term_to_binary(Term))]).

calibrate(Atoms) ->
    [begin
         M = maps:from_list([{{A, I}, I} || I <- lists:seq(1, 64)]),
         out('ATOM', {A, [I || {_, I} <- maps:keys(M)]})
     end || A <- Atoms].

%% ---------------------------------------------------------------------------
%% ETS

ets_key(inet) -> {inet, ip4()};
ets_key(inet6) -> {inet6, ip6()};
ets_key(mixed) ->
    case rand:uniform(2) of 1 -> ets_key(inet); 2 -> ets_key(inet6) end;
ets_key(atom) -> list_to_atom("host-" ++ integer_to_list(rand:uniform(100000))).

ip4() ->
    case rand:uniform(3) of
        1 -> {127, 0, 0, rand:uniform(255)};
        2 -> {10, rand:uniform(4) - 1, rand:uniform(256) - 1, rand:uniform(256) - 1};
        3 -> list_to_tuple([rand:uniform(256) - 1 || _ <- lists:seq(1, 4)])
    end.

ip6() ->
    case rand:uniform(3) of
        1 -> {0, 0, 0, 0, 0, 0, 0, rand:uniform(65535)};
        2 -> {16#fe80, 0, 0, 0, rand:uniform(65536) - 1, 0, 0, rand:uniform(65536) - 1};
        3 -> list_to_tuple([rand:uniform(65536) - 1 || _ <- lists:seq(1, 8)])
    end.

%% Build up to about N live objects with overwrites, deletes and re-inserts on the way.
ets_case(Kind, N) ->
    Ops = ets_ops(Kind, N, 0, [], [], []),
    run_ets(Kind, Ops).

ets_ops(_Kind, N, _Step, Live, _Dead, Acc) when length(Live) >= N ->
    lists:reverse(Acc);
ets_ops(Kind, N, Step, Live, Dead, Acc) ->
    R = rand:uniform(100),
    if
        R =< 12, Live =/= [] ->
            K = pick(Live),
            ets_ops(Kind, N, Step + 1, Live, Dead, [{ins, K, Step} | Acc]);
        R =< 24, Live =/= [] ->
            K = pick(Live),
            ets_ops(Kind, N, Step + 1, Live -- [K], [K | Dead], [{del, K} | Acc]);
        R =< 30, Dead =/= [] ->
            K = pick(Dead),
            ets_ops(Kind, N, Step + 1, [K | Live], Dead -- [K], [{ins, K, Step} | Acc]);
        R =< 33 ->
            K = ets_key(Kind),
            case lists:member(K, Live) of
                true -> ets_ops(Kind, N, Step + 1, Live, Dead, Acc);
                false -> ets_ops(Kind, N, Step + 1, Live, Dead, [{del, K} | Acc])
            end;
        true ->
            K = ets_key(Kind),
            case lists:member(K, Live) of
                true -> ets_ops(Kind, N, Step + 1, Live, Dead, [{ins, K, Step} | Acc]);
                false -> ets_ops(Kind, N, Step + 1, [K | Live], Dead -- [K], [{ins, K, Step} | Acc])
            end
    end.

pick(L) -> lists:nth(rand:uniform(length(L)), L).

run_ets(Kind, Ops) ->
    T = ets:new(jinet_hash_order_probe, [named_table]),
    lists:foreach(fun({ins, K, V}) -> true = ets:insert(T, {K, V});
                     ({del, K}) -> true = ets:delete(T, K)
                  end, Ops),
    L = ets:tab2list(T),
    MO = ets:match_object(T, '_'),
    Sel = ets:select(T, [{'_', [], ['$_']}]),
    true = ets:delete(T),
    out('ETS', {Kind, Ops, L, MO =:= L, Sel =:= L}).

%% Grow past 2 extra segments (256 + 2 * 2048 slots) so that deletes shrink the table.
ets_shrink_case() ->
    Ins = [{ins, {inet, {10, I div 256 rem 256, I rem 256, I div 65536}}, I}
           || I <- lists:seq(1, 5200)],
    Del = [{del, K} || {ins, K, _} <- lists:sublist(shuffle(Ins), 5000)],
    run_ets(shrink, Ins ++ Del).

%% ---------------------------------------------------------------------------
%% Maps

dns_key() ->
    Domain = pick(["big.jinet.test", "a.b.example.org", "host-" ++ integer_to_list(rand:uniform(9)) ++ ".lan",
                   "xn--bcher-kva.example", "z"]),
    case rand:uniform(4) of
        1 -> {Domain, in, a, ip4()};
        2 -> {Domain, in, aaaa, ip6()};
        3 -> {Domain, in, cname, pick(["alias.jinet.test", "c" ++ integer_to_list(rand:uniform(999)) ++ ".test"])};
        4 -> {Domain, in, ptr, integer_to_list(rand:uniform(255)) ++ ".0.0.10.in-addr.arpa"}
    end.

%% Pairs of 4-tuples whose make_internal_hash/2 (salt 0) is equal on OTP 25, 64-bit.
colliding() ->
    [{95,154,165,168}, {110,191,171,134}, {206,209,53,232}, {139,85,238,197},
     {147,20,246,166}, {107,247,210,96}, {111,177,147,194}, {120,177,150,213},
     {221,62,81,154}, {172,171,78,234}, {49,178,40,147}, {220,99,18,86},
     {21,50,129,69}, {106,207,229,10}, {85,206,241,38}, {16,30,6,39},
     {108,128,123,116}, {125,18,79,17}, {228,63,44,82}, {186,37,85,138},
     {133,93,115,167}, {24,8,255,42}, {129,26,15,103}, {110,60,52,160}].

unique_keys(_Gen, 0, Acc) -> Acc;
unique_keys(Gen, N, Acc) ->
    K = Gen(),
    case lists:member(K, Acc) of
        true -> unique_keys(Gen, N, Acc);
        false -> unique_keys(Gen, N - 1, [K | Acc])
    end.

map_case(Kind, N) ->
    Keys = case Kind of
               dns -> unique_keys(fun dns_key/0, N, []);
               collide -> unique_keys(fun() -> list_to_tuple([rand:uniform(256) - 1 || _ <- [1, 2, 3, 4]]) end,
                                      max(0, N - 24), colliding() -- [])
           end,
    KVs0 = lists:zip(Keys, lists:seq(1, length(Keys))),
    %% Sometimes put a key twice: the later value stays.
    Dups = case rand:uniform(5) of
               1 ->
                   Twice = lists:sublist(shuffle(KVs0), 3),
                   [{K, 1000 + I} || {I, {K, _}} <- lists:zip(lists:seq(1, length(Twice)), Twice)];
               _ -> []
           end,
    KVs = shuffle(KVs0) ++ Dups,
    M1 = put_all(KVs),
    M2 = put_all(lists:reverse(KVs0) ++ Dups),
    M3 = maps:from_list(shuffle(KVs0) ++ Dups),
    Same = maps:to_list(M1) =:= maps:to_list(M2) andalso maps:to_list(M1) =:= maps:to_list(M3),
    out('MAP', {Kind, KVs, maps:keys(M1), maps:values(M1), maps:to_list(M1), Same}).

put_all(KVs) -> lists:foldl(fun({K, V}, M) -> M#{K => V} end, #{}, KVs).

shuffle(L) -> [X || {_, X} <- lists:sort([{rand:uniform(), X} || X <- L])].
