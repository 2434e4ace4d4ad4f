using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("K8sSharp.Api.Tests")]
