"""In-process video decoding shared by the shot detector, the face tracker and the reframe
renderer: PyAV (libavcodec) with fast-decode options, frames scaled and converted by
swscale, timestamps from the stream's own presentation times.

Importing this package imports neither PyAV nor numpy; they load on first use.
"""
