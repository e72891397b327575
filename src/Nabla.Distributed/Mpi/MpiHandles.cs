using System.Runtime.InteropServices;

namespace Nabla.Distributed.Mpi;

/// <summary>
/// Open MPI's predefined handles: <c>MPI_COMM_WORLD</c> is <c>&amp;ompi_mpi_comm_world</c>, <c>MPI_FLOAT</c> is
/// <c>&amp;ompi_mpi_float</c>, and so on (mpi.h, <c>OMPI_PREDEFINED_GLOBAL</c>). Their addresses are looked up once
/// with <see cref="NativeLibrary.GetExport"/>.
/// </summary>
internal sealed class MpiHandles
{
    private MpiHandles(nint library)
    {
        nint Get(string symbol) => NativeLibrary.GetExport(library, symbol);
        CommWorld = Get("ompi_mpi_comm_world");
        Float = Get("ompi_mpi_float");
        Double = Get("ompi_mpi_double");
        Int = Get("ompi_mpi_int");
        Sum = Get("ompi_mpi_op_sum");
        Max = Get("ompi_mpi_op_max");
        ErrorsReturn = Get("ompi_mpi_errors_return");
        RequestNull = Get("ompi_request_null");
    }

    public nint CommWorld { get; }
    public nint Float { get; }
    public nint Double { get; }
    public nint Int { get; }
    public nint Sum { get; }
    public nint Max { get; }
    public nint ErrorsReturn { get; }
    public nint RequestNull { get; }

    /// <summary>Loads libmpi (global symbols, so that Open MPI's plugins resolve against it) and reads the handles.</summary>
    public static MpiHandles Load(nint library) => new(library);
}
