// The parsing pipeline again inside workerd: bytes are decoded by the runtime's own TextDecoder.
import './parse.test';
