# MemberGrains images, built from this repository (the build context is the repository root):
#   docker build -t membergrains-silo .                         the silo (the default, last stage)
#   docker build --target loadgen -t membergrains-loadgen .     the load generator (loadtests/)
# docker-compose.yml builds both. Stages: `build` restores and publishes both programs with the
# .NET 10 SDK; `loadgen` and `silo` copy one published folder each onto the ASP.NET Core 10 runtime
# and run as the runtime image's non-root user (`app`, uid $APP_UID).

ARG DOTNET_VERSION=10.0

FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build
WORKDIR /repo
# Restore from the project files and the central settings alone (global.json pins the SDK band,
# Directory.Packages.props the package versions), so a code change does not redo the restore layer.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/MemberGrains.Domain/MemberGrains.Domain.csproj src/MemberGrains.Domain/
COPY src/MemberGrains.Abstractions/MemberGrains.Abstractions.csproj src/MemberGrains.Abstractions/
COPY src/MemberGrains.Persistence/MemberGrains.Persistence.csproj src/MemberGrains.Persistence/
COPY src/MemberGrains.Grains/MemberGrains.Grains.csproj src/MemberGrains.Grains/
COPY src/MemberGrains.Silo/MemberGrains.Silo.csproj src/MemberGrains.Silo/
COPY loadtests/MemberGrains.LoadTests/MemberGrains.LoadTests.csproj loadtests/MemberGrains.LoadTests/
# Warnings are errors in this repository; a vulnerability advisory published after a commit
# (NU1901-NU1904) is still printed, but does not stop an image build of that commit.
ARG NUGET_AUDIT_NOT_ERRORS="-p:WarningsNotAsErrors=NU1901%3BNU1902%3BNU1903%3BNU1904"
RUN dotnet restore loadtests/MemberGrains.LoadTests/MemberGrains.LoadTests.csproj $NUGET_AUDIT_NOT_ERRORS
# The sources: src/ (the protos are in src/MemberGrains.Silo/Protos) and the load generator.
COPY src/ src/
COPY loadtests/ loadtests/
RUN dotnet publish src/MemberGrains.Silo/MemberGrains.Silo.csproj -c Release --no-restore -p:UseAppHost=false $NUGET_AUDIT_NOT_ERRORS -o /out/silo \
 && dotnet publish loadtests/MemberGrains.LoadTests/MemberGrains.LoadTests.csproj -c Release --no-restore -p:UseAppHost=false $NUGET_AUDIT_NOT_ERRORS -o /out/loadtests

# The load generator (docker-compose.yml's `loadgen`, profile `load`). It writes its logs to
# artifacts/loadtests/ under its working folder, /loadtest, which the app user owns.
FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION} AS loadgen
WORKDIR /app
COPY --from=build /out/loadtests ./
RUN mkdir /loadtest && chown "$APP_UID" /loadtest
WORKDIR /loadtest
USER $APP_UID
ENTRYPOINT ["dotnet", "/app/MemberGrains.LoadTests.dll"]

# The silo: configured by environment variables (ConnectionStrings__MemberGrains,
# MemberGrains__…; see docker-compose.yml and the README's "Operate" section).
FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION} AS silo
WORKDIR /app
COPY --from=build /out/silo ./
USER $APP_UID
# gRPC (HTTP/2), the store screens (HTTP/1.1), silo-to-silo, Orleans gateway.
EXPOSE 5080 5081 11111 30000
ENTRYPOINT ["dotnet", "MemberGrains.Silo.dll"]
