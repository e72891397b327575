using System.Runtime.CompilerServices;

// The lab tests check internal pieces (the binary sampling, the task losses) against hand computations.
[assembly: InternalsVisibleTo("Nabla.Tests")]
