# jinet in a container: the same set-up script as on a host (bin/setup), then the jar.
# Run with the host's network so EPMD and the node's port are reachable, e.g.
#   docker run --rm --network host jinet -sname jinet -setcookie secret
FROM debian:bookworm-slim

WORKDIR /opt/jinet
# Set-up first, alone, so the package layer is cached across source changes.
COPY bin/setup bin/setup
RUN bin/setup && rm -rf /var/lib/apt/lists/*

COPY pom.xml ./
COPY java/ java/
COPY bin/ bin/
RUN mvn -q -B package -DskipTests && rm -rf /root/.m2

ENTRYPOINT ["bin/jinet"]
CMD ["-sname", "jinet"]
