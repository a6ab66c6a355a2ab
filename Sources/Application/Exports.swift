// The command line reaches the library through Application alone. The values it words and the platform it composes
// (plans and their errors, events, counters, the system's clocks and sockets, which only `main` makes) belong to
// these modules, so Application re-exports them: the executable imports Application and Arguments, nothing else.
@_exported import Analysis
@_exported import Capture
@_exported import Interfaces
@_exported import Numbers
@_exported import PCM
@_exported import Planning
@_exported import Platform
@_exported import RTCP
@_exported import RTP
@_exported import Receiver
@_exported import SDP
@_exported import Sender
