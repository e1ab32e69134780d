%% A node started by jinet_node_bench:start_node/4,5 (bin/bench-node,
%% bin/bench-sockets).
-record(nd, {kind :: jinet | beam,
             name :: node(),
             short :: string(),
             ospid :: integer(),           % the JVM / beam.smp
             ref :: reference(),           % tags the keeper's messages
             t0 :: integer(),              % native time of the exec
             t_ready :: integer() | undefined,
             log :: string()}).            % the node's stderr
