using Kmap.Sandbox.Protocol;

namespace Kmap.Sandbox.Apis;

/// <summary>One API key: the versions it serves and how it answers. One file per key under Apis/.</summary>
public interface IApiHandler
{
    ApiKey Key { get; }
    short MinVersion { get; }
    short MaxVersion { get; }

    /// <summary>The first version that uses flexible encoding (compact strings, tag buffers); short.MaxValue when none is served.</summary>
    short FirstFlexibleVersion { get; }

    /// <summary>Decodes the body, answers, and encodes the response body. Null means "send no response" (Produce with acks=0).</summary>
    ValueTask<KafkaWriter?> HandleAsync(RequestContext context, KafkaReader body, CancellationToken cancellationToken);
}

/// <summary>Typed base: decode <typeparamref name="TRequest"/>, answer with <typeparamref name="TResponse"/>.</summary>
public abstract class ApiHandler<TRequest, TResponse> : IApiHandler
    where TRequest : IKafkaMessage<TRequest>
    where TResponse : IKafkaMessage<TResponse>
{
    public abstract ApiKey Key { get; }
    public abstract short MinVersion { get; }
    public abstract short MaxVersion { get; }
    public virtual short FirstFlexibleVersion => short.MaxValue;

    public async ValueTask<KafkaWriter?> HandleAsync(RequestContext context, KafkaReader body, CancellationToken cancellationToken)
    {
        var version = context.Header.ApiVersion;
        var request = TRequest.Read(body, version);
        var response = await HandleAsync(context, request, cancellationToken);
        if (response is null)
        {
            return null;
        }
        var writer = new KafkaWriter(flexible: version >= FirstFlexibleVersion);
        response.Write(writer, version);
        return writer;
    }

    protected abstract ValueTask<TResponse?> HandleAsync(RequestContext context, TRequest request, CancellationToken cancellationToken);
}
