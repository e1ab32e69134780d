%% jinet_node for a BEAM node in jinet's place: jinet_cluster_SUITE compiles
%% this file and loads it on the BEAM node it starts at 10.77.0.1, so that the
%% scenarios make the same calls whichever node answers them. idle/1 and
%% watch/2 as jinet.call.NodeModule serves them.
-module(jinet_node).

-export([idle/1, watch/2]).

%% A process, registered as Name unless it is undefined, that waits until it
%% is sent {exit, Reason}; badarg when the name is taken. A registered one
%% traps exits, as jinet's registered processes do.
idle(Name) when is_atom(Name) ->
    Self = self(),
    Ref = make_ref(),
    Pid = spawn(fun() ->
                        Ok = Name =:= undefined orelse
                            (catch register(Name, self())) =:= true,
                        Name =:= undefined orelse
                            process_flag(trap_exit, true),
                        Self ! {Ref, Ok},
                        case Ok of
                            true -> idle_loop();
                            false -> ok
                        end
                end),
    receive
        {Ref, true} -> Pid;
        {Ref, false} -> error(badarg)
    end;
idle(_) ->
    error(badarg).

idle_loop() ->
    receive
        {exit, Reason} -> exit(Reason);
        _ -> idle_loop()
    end.

%% A process that monitors Target and sends every message it gets to
%% ReportTo as {jinet_watch, Self, Message}, ending after the 'DOWN';
%% demonitor ends it. Returns {WatcherPid, MonitorRef}.
watch(Target, ReportTo) when is_pid(Target), is_pid(ReportTo) ->
    Self = self(),
    Ref = make_ref(),
    W = spawn(fun() ->
                      M = erlang:monitor(process, Target),
                      Self ! {Ref, M},
                      watch_loop(M, ReportTo)
              end),
    receive
        {Ref, M} -> {W, M}
    end;
watch(_, _) ->
    error(badarg).

watch_loop(M, To) ->
    receive
        demonitor ->
            erlang:demonitor(M),
            exit(normal);
        Msg ->
            To ! {jinet_watch, self(), Msg},
            case Msg of
                {'DOWN', _, _, _, _} -> exit(normal);
                _ -> watch_loop(M, To)
            end
    end.
