// Hostile pages again inside workerd: its stack, not Node's, must hold the deepest page.
import './hostile.test';
