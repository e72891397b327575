using System.Runtime.InteropServices;

namespace Nabla.Distributed.Mpi;

/// <summary>
/// The few functions of Open MPI's C API that data-parallel training needs, bound to <c>libmpi.so.40</c> (Open MPI
/// 4.x, Debian's <c>libopenmpi3</c>). Handles (communicator, datatype, op, request, error handler) are pointers in
/// Open MPI's ABI; the predefined ones are the addresses of global symbols (see <see cref="MpiHandles"/>).
/// </summary>
/// <remarks>MPI.NET 1.4.0 was tried first: it binds <c>msmpi.dll</c> (Microsoft MPI, whose handles are ints) and fails
/// on Linux with DllNotFoundException; Open MPI's pointer handles make a mapping to it impossible.</remarks>
internal static partial class MpiNative
{
    public const string Library = "libmpi.so.40";

    /// <summary>MPI_IN_PLACE: <c>(void*)1</c> in Open MPI.</summary>
    public static readonly nint InPlace = 1;

    public const int Success = 0;
    public const int ThreadMultiple = 3;

    [LibraryImport(Library, EntryPoint = "MPI_Initialized")] public static unsafe partial int Initialized(int* flag);
    [LibraryImport(Library, EntryPoint = "MPI_Finalized")] public static unsafe partial int Finalized(int* flag);
    [LibraryImport(Library, EntryPoint = "MPI_Init_thread")] public static unsafe partial int InitThread(nint argc, nint argv, int required, int* provided);
    [LibraryImport(Library, EntryPoint = "MPI_Finalize")] public static partial int Finalize();
    [LibraryImport(Library, EntryPoint = "MPI_Abort")] public static partial int Abort(nint comm, int errorCode);
    [LibraryImport(Library, EntryPoint = "MPI_Comm_rank")] public static unsafe partial int CommRank(nint comm, int* rank);
    [LibraryImport(Library, EntryPoint = "MPI_Comm_size")] public static unsafe partial int CommSize(nint comm, int* size);
    [LibraryImport(Library, EntryPoint = "MPI_Comm_set_errhandler")] public static partial int CommSetErrhandler(nint comm, nint errhandler);
    [LibraryImport(Library, EntryPoint = "MPI_Error_string")] public static unsafe partial int ErrorString(int code, byte* text, int* length);
    [LibraryImport(Library, EntryPoint = "MPI_Barrier")] public static partial int Barrier(nint comm);
    [LibraryImport(Library, EntryPoint = "MPI_Ibarrier")] public static unsafe partial int Ibarrier(nint comm, nint* request);
    [LibraryImport(Library, EntryPoint = "MPI_Bcast")] public static partial int Bcast(nint buffer, int count, nint datatype, int root, nint comm);
    [LibraryImport(Library, EntryPoint = "MPI_Ibcast")] public static unsafe partial int Ibcast(nint buffer, int count, nint datatype, int root, nint comm, nint* request);
    [LibraryImport(Library, EntryPoint = "MPI_Allreduce")] public static partial int Allreduce(nint sendBuffer, nint receiveBuffer, int count, nint datatype, nint op, nint comm);
    [LibraryImport(Library, EntryPoint = "MPI_Iallreduce")] public static unsafe partial int Iallreduce(nint sendBuffer, nint receiveBuffer, int count, nint datatype, nint op, nint comm, nint* request);
    /// <summary>MPI_Wait with MPI_STATUS_IGNORE (a null status pointer).</summary>
    [LibraryImport(Library, EntryPoint = "MPI_Wait")] public static unsafe partial int Wait(nint* request, nint status);
    /// <summary>MPI_Test with MPI_STATUS_IGNORE.</summary>
    [LibraryImport(Library, EntryPoint = "MPI_Test")] public static unsafe partial int Test(nint* request, int* flag, nint status);
}
