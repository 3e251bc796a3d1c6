using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Google.Protobuf;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;

namespace MemberGrains.Silo.Grpc;

/// <summary>
/// Binds every gRPC service's methods like grpc-dotnet's own binder does (through the generated
/// <c>BindService</c>), with one difference: a request body that is not a valid message of its
/// type (truncated, a text field that is not UTF-8, a length past the end) is answered
/// INVALID_ARGUMENT saying so. grpc-dotnet answers a failing deserializer with UNKNOWN
/// ("Exception was thrown by handler"), which tells a till neither what was wrong nor that a
/// retry can't help.
/// </summary>
/// <typeparam name="TService">The service implementation.</typeparam>
internal sealed class ReadableRequestMethodProvider<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicMethods | DynamicallyAccessedMemberTypes.NonPublicMethods)] TService> : IServiceMethodProvider<TService>
    where TService : class
{
    /// <summary>Replaces grpc-dotnet's binder (registered by AddGrpc) with this one.</summary>
    public static void Register(IServiceCollection services)
    {
        for (var i = services.Count - 1; i >= 0; i--)
        {
            var d = services[i];
            if (d.ServiceType == typeof(IServiceMethodProvider<>) && d.ImplementationType is { Name: var name } && name.StartsWith("BinderServiceMethodProvider", StringComparison.Ordinal))
            {
                services.RemoveAt(i);
            }
        }

        services.AddSingleton(typeof(IServiceMethodProvider<>), typeof(ReadableRequestMethodProvider<>));
    }

    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<TService> context)
    {
        for (var type = typeof(TService); type is not null; type = type.BaseType)
        {
            if (type.GetCustomAttribute<BindServiceMethodAttribute>(inherit: false) is { } bind)
            {
                var method = bind.BindType.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
                    .FirstOrDefault(m => m.Name == bind.BindMethodName && m.GetParameters() is [{ ParameterType: var binder }, _] && binder == typeof(ServiceBinderBase))
                    ?? throw new InvalidOperationException($"{bind.BindType} has no {bind.BindMethodName} to bind {typeof(TService)}.");
                method.Invoke(null, [new Binder(context, method.GetParameters()[1].ParameterType), null]);
                return;
            }
        }
    }

    private sealed class Binder(ServiceMethodProviderContext<TService> context, Type declaringType) : ServiceBinderBase
    {
        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler) =>
            context.AddUnaryMethod(Readable(method), Metadata(method.Name, typeof(TRequest), typeof(ServerCallContext), out var target), Invoker<UnaryServerMethod<TService, TRequest, TResponse>>(target));

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler) =>
            context.AddServerStreamingMethod(Readable(method), Metadata(method.Name, typeof(TRequest), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext), out var target), Invoker<ServerStreamingServerMethod<TService, TRequest, TResponse>>(target));

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler) =>
            context.AddClientStreamingMethod(Readable(method), Metadata(method.Name, typeof(IAsyncStreamReader<TRequest>), typeof(ServerCallContext), out var target), Invoker<ClientStreamingServerMethod<TService, TRequest, TResponse>>(target));

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler) =>
            context.AddDuplexStreamingMethod(Readable(method), Metadata(method.Name, typeof(IAsyncStreamReader<TRequest>), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext), out var target), Invoker<DuplexStreamingServerMethod<TService, TRequest, TResponse>>(target));

        private static Method<TRequest, TResponse> Readable<TRequest, TResponse>(Method<TRequest, TResponse> method)
        {
            var inner = method.RequestMarshaller;
            var readable = Marshallers.Create(
                inner.ContextualSerializer,
                context =>
                {
                    try
                    {
                        return inner.ContextualDeserializer(context);
                    }
                    catch (InvalidProtocolBufferException e)
                    {
                        throw new RpcException(new Status(
                            StatusCode.InvalidArgument,
                            $"The request is not a readable {method.ServiceName}/{method.Name} message ({e.Message.TrimEnd('.')}): a text field that is not UTF-8, a truncated or malformed body. Fix the request; a retry of the same bytes fails the same way."));
                    }
                });
            return new Method<TRequest, TResponse>(method.Type, method.ServiceName, method.Name, readable, method.ResponseMarshaller);
        }

        private static TDelegate Invoker<TDelegate>(MethodInfo target)
            where TDelegate : Delegate => (TDelegate)Delegate.CreateDelegate(typeof(TDelegate), target);

        /// <summary>The implementing method (an override of the generated base's) and its endpoint metadata, as grpc-dotnet collects them.</summary>
        private List<object> Metadata(string name, Type first, Type second, out MethodInfo target) => Metadata(name, [first, second], out target);

        private List<object> Metadata(string name, Type first, Type second, Type third, out MethodInfo target) => Metadata(name, [first, second, third], out target);

        private List<object> Metadata(string name, Type[] parameters, out MethodInfo target)
        {
            target = Find(name, parameters) ?? throw new InvalidOperationException($"Could not find '{name}' on {typeof(TService)}.");
            var metadata = new List<object>();
            metadata.AddRange(typeof(TService).GetCustomAttributes(inherit: true));
            metadata.AddRange(target.GetCustomAttributes(inherit: true));
            metadata.Add(new Microsoft.AspNetCore.Routing.HttpMethodMetadata(["POST"], acceptCorsPreflight: true));
            return metadata;
        }

        private MethodInfo? Find(string name, Type[] parameters)
        {
            for (var type = typeof(TService); type is not null; type = type.BaseType)
            {
                var candidate = type.GetMethod(name, BindingFlags.Public | BindingFlags.Instance, binder: null, types: parameters, modifiers: null);
                if (candidate is null)
                {
                    return null;
                }

                if (candidate.IsVirtual && candidate.GetBaseDefinition().DeclaringType == declaringType)
                {
                    return candidate;
                }
            }

            return null;
        }
    }
}
