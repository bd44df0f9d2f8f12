using System.Diagnostics;
using System.Text.Json;
using TechTransfer.Tests.Infrastructure;

namespace TechTransfer.Tests.Deployment;

/// <summary>
/// deploy/kubernetes (issue 20, item 4), without a cluster: every object is valid against the Kubernetes API schemas
/// (the npm package kubernetes-models, run by node), and the manifest agrees with the host it deploys: what Orleans'
/// Kubernetes hosting needs, a connection budget for every pod a rollout may run, probes the host answers, ports and
/// secrets that exist, a stop longer than the host's own.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class KubernetesManifestTests(ApiFixture api)
{
    static readonly string Folder = Path.Combine(Repository.Root, "deploy", "kubernetes");

    static async Task<(int Code, string Output, string Errors)> ValidateAsync(params string[] args)
    {
        var start = new ProcessStartInfo("node", ["validate.mjs", .. args])
        {
            WorkingDirectory = Folder, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using var node = Process.Start(start)!;
        var (output, errors) = (node.StandardOutput.ReadToEndAsync(), node.StandardError.ReadToEndAsync());
        await node.WaitForExitAsync();
        return (node.ExitCode, await output, await errors);
    }

    [Fact]
    public async Task Every_object_is_valid_against_the_Kubernetes_schemas_and_a_broken_one_is_not()
    {
        var (code, output, errors) = await ValidateAsync();
        Assert.True(code == 0, output + errors);
        string[] kinds = ["Deployment", "Job", "PodDisruptionBudget", "Role", "RoleBinding", "Secret", "Service", "ServiceAccount"];
        Assert.Equal(kinds, output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ')[^1].Split('/')[0]).Order());

        // The check can fail: a replica count that is no number and a port without its number.
        var broken = Path.Combine(Path.GetTempPath(), $"tt-broken-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(broken, (await File.ReadAllTextAsync(Path.Combine(Folder, "techtransfer.yaml")))
            .Replace("replicas: 3", "replicas: three").Replace("containerPort: 8080", "port: 8080"));
        try
        {
            var (brokenCode, brokenOutput, _) = await ValidateAsync(broken);
            Assert.Equal(1, brokenCode);
            Assert.Contains("INVALID", brokenOutput);
            Assert.Contains("replicas must be integer", brokenOutput);
        }
        finally
        {
            File.Delete(broken);
        }
    }

    [Fact]
    public async Task The_manifest_agrees_with_the_host_it_deploys()
    {
        var (code, output, errors) = await ValidateAsync("--json");
        Assert.True(code == 0, errors);
        var objects = JsonDocument.Parse(output).RootElement.EnumerateArray().ToList();
        JsonElement Of(string kind) => objects.Single(o => o.GetProperty("kind").GetString() == kind);
        var deployment = Of("Deployment");
        var pod = deployment.GetProperty("spec").GetProperty("template");
        var host = pod.GetProperty("spec").GetProperty("containers")[0];
        var env = host.GetProperty("env").EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!);
        string? Value(string name) => env[name].TryGetProperty("value", out var v) ? v.GetString() : null;

        // Orleans' Kubernetes hosting: the pod's labels, the downward API, the switch the host reads, and the right to
        // read pods and delete the membership of those gone.
        var labels = pod.GetProperty("metadata").GetProperty("labels");
        Assert.Equal("techtransfer", labels.GetProperty("orleans/clusterId").GetString());
        Assert.Equal("techtransfer", labels.GetProperty("orleans/serviceId").GetString());
        foreach (var name in new[] { "POD_NAME", "POD_NAMESPACE", "POD_IP", "ORLEANS_SERVICE_ID", "ORLEANS_CLUSTER_ID" })
            Assert.True(env[name].GetProperty("valueFrom").TryGetProperty("fieldRef", out _), name);
        Assert.Equal("true", Value("Orleans__Kubernetes"));
        Assert.Equal("techtransfer", pod.GetProperty("spec").GetProperty("serviceAccountName").GetString());
        var verbs = Of("Role").GetProperty("rules")[0].GetProperty("verbs").EnumerateArray().Select(v => v.GetString()).ToList();
        Assert.Contains("delete", verbs);
        Assert.Contains("list", verbs);

        // The connection budget counts every pod a rollout may run at once (replicas + maxSurge).
        var spec = deployment.GetProperty("spec");
        var surge = spec.GetProperty("strategy").GetProperty("rollingUpdate").GetProperty("maxSurge").GetInt32();
        Assert.True(int.Parse(Value("TechTransfer__Database__Hosts")!) >= spec.GetProperty("replicas").GetInt32() + surge);

        // A stop longer than the host's own shutdown timeout (30 s), or Kubernetes kills a silo handing its grains over.
        Assert.True(pod.GetProperty("spec").GetProperty("terminationGracePeriodSeconds").GetInt32() > 30);

        // Ports as silo-config/cluster.json sets them.
        using var cluster = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Repository.Root, "silo-config", "cluster.json")));
        var ports = host.GetProperty("ports").EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!, p => p.GetProperty("containerPort").GetInt32());
        var endpoints = cluster.RootElement.GetProperty("Orleans").GetProperty("Endpoints");
        Assert.Equal(endpoints.GetProperty("SiloPort").GetInt32(), ports["silo"]);
        Assert.Equal(endpoints.GetProperty("GatewayPort").GetInt32(), ports["gateway"]);
        Assert.EndsWith(":" + ports["http"], cluster.RootElement.GetProperty("TechTransfer").GetProperty("Urls").GetString());

        // Every secret it reads is one the example Secret names.
        var secret = Of("Secret").GetProperty("stringData").EnumerateObject().Select(p => p.Name).ToHashSet();
        foreach (var e in env.Values.Where(e => e.TryGetProperty("valueFrom", out var from) && from.TryGetProperty("secretKeyRef", out _)))
            Assert.Contains(e.GetProperty("valueFrom").GetProperty("secretKeyRef").GetProperty("key").GetString()!, secret);

        // The probes ask what the host answers, with 200, on a real host.
        foreach (var probe in new[] { "startupProbe", "livenessProbe", "readinessProbe" })
        {
            var path = host.GetProperty(probe).GetProperty("httpGet").GetProperty("path").GetString();
            var answer = await api.Host.CreateClient().GetAsync(path);
            Assert.True(answer.IsSuccessStatusCode, $"{probe} {path}: {(int)answer.StatusCode}");
        }
    }
}
