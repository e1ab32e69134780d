#!/usr/bin/env escript
%% -*- erlang -*-
%%! -noshell
%% Writes the corpus TermCodecTest checks the codec against: seeded random terms and
%% hand-picked edge cases, as BEAM encodes them. Each record is
%%   Kind:8, Size:32, Bytes:Size
%% Kind 0: term_to_binary(T, [{minor_version, 2}]), which is how OTP 25 writes a term on a
%%         distribution connection (UTF-8 atoms); decoded and re-encoded byte for byte.
%% Kind 1: the same, compressed: decoded only (zlib output is not ours to reproduce).
%% Kind 2: term_to_binary/1 with its Latin-1 ATOM_EXT atoms, or crafted bytes in formats
%%         BEAM reads but no longer writes (PID_EXT, PORT_EXT, REFERENCE_EXT, FLOAT_EXT...):
%%         decoded only, compared with JInterface.
%% TermCodecTest runs it at test time: escript term_corpus.escript OUT
-mode(compile).

main([Out]) ->
    rand:seed(exsss, {20240611, 7, 42}),
    Fixed = fixed(),
    Random = [gen(rand:uniform(5) - 1) || _ <- lists:seq(1, 2500)],
    Canon = [{0, T} || T <- Fixed ++ Random],
    Compressed = [{1, T} || T <- lists:sublist(Random, 1, 200) ++ [lists:seq(1, 5000), big_bin(50000)]],
    V1 = [{2, term_to_binary(T)} || T <- lists:sublist(Fixed, 1, 60) ++ lists:sublist(Random, 1, 300)],
    Crafted = [{2, B} || B <- crafted()],
    Recs = [rec(0, term_to_binary(T, [{minor_version, 2}])) || {0, T} <- Canon]
        ++ [rec(1, term_to_binary(T, [compressed, {minor_version, 2}])) || {1, T} <- Compressed]
        ++ [rec(2, B) || {2, B} <- V1 ++ Crafted],
    ok = file:write_file(Out, Recs),
    io:format("~p records, ~p bytes~n", [length(Recs), iolist_size(Recs)]).

rec(Kind, B) -> [<<Kind:8, (byte_size(B)):32>>, B].

%% An external pid/port/ref of 'x@y' with a 32-bit creation, via binary_to_term of crafted bytes.
xpid(Id, Serial, Cr) ->
    binary_to_term(<<131, 88, 119, 3, "x@y", Id:32, Serial:32, Cr:32>>).
xport(Id, Cr) ->
    binary_to_term(<<131, 89, 119, 3, "x@y", Id:32, Cr:32>>).
xport4(Id, Cr) ->
    binary_to_term(<<131, 120, 119, 3, "x@y", Id:64, Cr:32>>).
xref(Ids, Cr) ->
    binary_to_term(<<131, 90, (length(Ids)):16, 119, 3, "x@y", Cr:32, << <<I:32>> || I <- Ids >>/binary>>).

big_bin(N) -> << <<(X rem 251)>> || X <- lists:seq(1, N) >>.

fixed() ->
    Y = {captured, [1, 2, 3], <<"env">>},
    Z = 42,
    [0, 1, 255, 256, -1, -256, 2147483647, -2147483648, 2147483648, -2147483649,
     1 bsl 32, 1 bsl 40, (1 bsl 63) - 1, 1 bsl 63, -(1 bsl 63), -(1 bsl 63) - 1, 1 bsl 64, -(1 bsl 64),
     (1 bsl 2040) - 1, 1 bsl 2040, -(1 bsl 2048), 1 bsl 2100, -(1 bsl 9000),
     0.0, -0.0, 1.5, -1.5, 1.0e300, -1.0e-300, 1.7976931348623157e308, -1.7976931348623157e308,
     5.0e-324, 2.2250738585072014e-308, 3.141592653589793,
     ok, true, false, '', undefined, 'x@y', 'héllo', 'ÿ', list_to_atom([16#1F600, $a]),
     list_to_atom([16#4E2D, 16#6587]), list_to_atom(lists:duplicate(255, $a)),
     list_to_atom(lists:duplicate(255, 233)), list_to_atom(lists:duplicate(200, 16#4E2D)),
     list_to_atom(lists:duplicate(255, 16#1F600)),
     <<>>, <<1, 2, 3>>, big_bin(70000), <<1:1>>, <<5:3>>, <<1, 2, 3:7>>, <<255, 0:1>>,
     "", "abc", "192.168.42.2", [0, 255], [256], [1, 2, 300], "héllo", [16#1F600], [16#10FFFF, 0],
     lists:duplicate(65535, $x), lists:duplicate(65536, $x), lists:seq(0, 255),
     [], [[]], [a | b], [1, 2 | 3], [1 | <<>>], [{} | {}], [[1] | 2], ["a" | "b"],
     {}, {{}}, {a}, {a, b, c}, list_to_tuple(lists:seq(1, 255)), list_to_tuple(lists:seq(1, 256)),
     list_to_tuple(lists:seq(1, 1000)),
     #{}, #{a => 1}, #{1 => a, a => 1, "s" => <<"b">>, {t} => [l], 1.0 => float, [] => #{}},
     maps:from_list([{K, K * K} || K <- lists:seq(1, 32)]),
     maps:from_list([{K, K * K} || K <- lists:seq(1, 33)]),
     maps:from_list([{{k, K}, integer_to_list(K)} || K <- lists:seq(1, 500)]),
     self(), make_ref(), alias(), hd(erlang:ports()),
     xpid(0, 0, 0), xpid(1, 2, 3), xpid(16#7FFF, 16#1FFF, 16#FFFFFFFF), xpid(16#FFFFFFFF, 16#FFFFFFFF, 16#80000000),
     xport(0, 0), xport(12345, 16#FFFFFFFF), xport(16#FFFFFFFF, 1),
     xport4(1 bsl 40, 7), xport4(16#FFFFFFFFFFFFFFFF, 16#DEADBEEF), xport4(5, 5),
     xref([1, 2, 3], 0), xref([16#3FFFF, 16#FFFFFFFF, 16#FFFFFFFF], 16#FFFFFFFF),
     xref([7, 8, 9, 10], 3), xref([1, 2, 3, 4, 5], 9),
     fun lists:map/2, fun erlang:self/0, fun ?MODULE:main/1,
     fun(X) -> X end, fun() -> Y end, fun(A, B) -> {A, B, Y, Z} end, fun() -> self() end,
     {'$gen_call', {self(), [alias | make_ref()]}, {call, inet, parse_address, ["192.168.42.2"], self()}},
     {make_ref(), return, {ok, {192, 168, 42, 2}}},
     nest_tuple(2000), nest_list(2000), nest_map(300),
     [{K, V} || {K, V} <- [{a, 1}, {b, 2}]]].

nest_tuple(0) -> leaf;
nest_tuple(N) -> {nest_tuple(N - 1)}.
nest_list(0) -> [];
nest_list(N) -> [nest_list(N - 1)].
nest_map(0) -> #{};
nest_map(N) -> #{N => nest_map(N - 1)}.

crafted() ->
    [<<131, 103, 100, 0, 3, "x@y", 0, 0, 0, 5, 0, 0, 0, 6, 2>>,                  % PID_EXT
     <<131, 103, 100, 0, 3, "x@y", 255, 255, 255, 255, 255, 255, 255, 255, 255>>,
     <<131, 102, 100, 0, 3, "x@y", 0, 0, 0, 9, 1>>,                              % PORT_EXT
     <<131, 102, 100, 0, 3, "x@y", 255, 255, 255, 255, 255>>,
     <<131, 101, 100, 0, 3, "x@y", 0, 0, 0, 9, 1>>,                              % REFERENCE_EXT
     <<131, 114, 0, 3, 100, 0, 3, "x@y", 2, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3>>,  % NEW_REFERENCE_EXT
     <<131, 114, 0, 3, 100, 0, 3, "x@y", 255, 255, 255, 255, 255, 0, 0, 0, 2, 0, 0, 0, 3>>,
     <<131, 99, (float_text(1.5))/binary>>,                                          % FLOAT_EXT
     <<131, 99, (float_text(-3.25e-200))/binary>>,
     <<131, 99, (float_text(1.0e300))/binary>>,
     <<131, 110, 0, 0>>,                                                            % SMALL_BIG 0
     <<131, 110, 3, 1, 5, 0, 0>>,                                                   % non-minimal big
     <<131, 111, 0, 0, 0, 2, 0, 1, 0>>,
     <<131, 110, 8, 1, 0, 0, 0, 0, 0, 0, 0, 128>>,                                  % -2^63
     <<131, 110, 8, 0, 0, 0, 0, 0, 0, 0, 0, 128>>,                                  % 2^63
     <<131, 100, 0, 2, "ok">>, <<131, 100, 0, 2, 233, 233>>, <<131, 118, 0, 2, "ok">>,
     <<131, 108, 0, 0, 0, 1, 97, 1, 108, 0, 0, 0, 1, 97, 2, 106>>,                  % [1|[2]] unflattened
     <<131, 104, 2, 131, 97, 1, 97, 2>>                                             % a version byte inside: BEAM refuses
    ].

float_text(F) ->
    S = list_to_binary(io_lib:format("~.20e", [F])),
    <<S/binary, 0:((31 - byte_size(S)) * 8)>>.

%% Random terms; D bounds the nesting.
gen(D) ->
    case rand:uniform(if D > 0 -> 20; true -> 11 end) of
        1 -> rand_int();
        2 -> rand_float();
        3 -> rand_atom();
        4 -> rand_bin();
        5 -> rand_string();
        6 -> rand_int();
        7 -> rand_ident();
        8 -> rand_atom();
        9 -> rand_bitstr();
        10 -> fun_of(rand:uniform(3));
        11 -> rand_small();
        12 -> list_to_tuple([gen(D - 1) || _ <- lists:seq(1, rand:uniform(4) - 1)]);
        13 -> [gen(D - 1) || _ <- lists:seq(1, rand:uniform(4) - 1)];
        14 -> [gen(D - 1) || _ <- lists:seq(1, rand:uniform(3))] ++ gen(0);
        15 -> maps:from_list([{gen(D - 1), gen(D - 1)} || _ <- lists:seq(1, rand:uniform(5) - 1)]);
        16 -> maps:from_list([{gen(0), gen(0)} || _ <- lists:seq(1, 30 + rand:uniform(40))]);
        17 -> list_to_tuple([gen(0) || _ <- lists:seq(1, rand:uniform(300))]);
        18 -> [rand:uniform(256) - 1 || _ <- lists:seq(1, rand:uniform(40))];
        19 -> [rand_small() || _ <- lists:seq(1, rand:uniform(40))];
        20 -> {gen(D - 1), gen(D - 1)}
    end.

rand_small() -> rand:uniform(600) - 300.

rand_int() ->
    case rand:uniform(5) of
        1 -> rand:uniform(256) - 1;
        2 -> rand:uniform(1 bsl 32) - (1 bsl 31) - 1;
        3 -> sign() * rand:uniform(1 bsl 64);
        4 -> sign() * (rand:uniform(1 bsl (8 * rand:uniform(40))) + (1 bsl 31));
        5 -> sign() * (1 bsl rand:uniform(3000) + rand:uniform(1000))
    end.

sign() -> case rand:uniform(2) of 1 -> 1; 2 -> -1 end.

rand_float() ->
    case rand:uniform(4) of
        1 -> rand:uniform_real() * math:pow(10, rand:uniform(600) - 300) * sign();
        2 -> float(rand_small());
        3 -> <<F/float>> = <<(rand:uniform(1 bsl 62)):64>>, F;
        4 -> -0.0 * rand:uniform()
    end.

rand_chars(N, Max) -> [rand:uniform(Max) - 1 || _ <- lists:seq(1, N)].
rand_uchars(N) -> [uchar() || _ <- lists:seq(1, N)].
uchar() ->
    case rand:uniform(4) of
        1 -> $a + rand:uniform(25);
        2 -> 127 + rand:uniform(128);
        3 -> 255 + rand:uniform(16#D7FF - 256);
        4 -> 16#FFFF + rand:uniform(16#10FFFF - 16#FFFF)
    end.

rand_atom() ->
    case rand:uniform(4) of
        1 -> lists:nth(rand:uniform(8), [ok, error, true, false, undefined, inet, call, '$gen_call']);
        2 -> list_to_atom(rand_chars(rand:uniform(30), 256));
        3 -> list_to_atom(rand_uchars(rand:uniform(40)));
        4 -> list_to_atom(rand_uchars(rand:uniform(255)))
    end.

rand_bin() ->
    case rand:uniform(8) of
        1 -> <<>>;
        8 -> rand:bytes(rand:uniform(500));
        _ -> rand:bytes(rand:uniform(40))
    end.

rand_bitstr() ->
    B = rand:bytes(rand:uniform(20) - 1),
    N = rand:uniform(7),
    <<B/binary, (rand:uniform(1 bsl N) - 1):N>>.

rand_string() ->
    case rand:uniform(4) of
        1 -> rand_chars(rand:uniform(50), 128);
        2 -> rand_chars(rand:uniform(50), 256);
        3 -> rand_uchars(rand:uniform(20));
        4 -> ""
    end.

rand_ident() ->
    case rand:uniform(7) of
        1 -> self();
        2 -> make_ref();
        3 -> xpid(rand:uniform(1 bsl 32) - 1, rand:uniform(1 bsl 32) - 1, rand:uniform(1 bsl 32) - 1);
        4 -> xport(rand:uniform(1 bsl 32) - 1, rand:uniform(1 bsl 32) - 1);
        5 -> xref([rand:uniform(1 bsl 18) - 1, rand:uniform(1 bsl 32) - 1, rand:uniform(1 bsl 32) - 1],
                  rand:uniform(1 bsl 32) - 1);
        6 -> xport4(rand:uniform(1 bsl 64) - 1, rand:uniform(1 bsl 32) - 1);
        7 -> alias()
    end.

fun_of(1) -> V = rand_int(), fun() -> V end;
fun_of(2) -> V = {rand_atom(), rand_string()}, W = rand_bin(), fun(A) -> {A, V, W} end;
fun_of(3) -> lists:nth(rand:uniform(3), [fun lists:map/2, fun erlang:node/0, fun ?MODULE:gen/1]).
