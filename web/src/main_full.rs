fn main() {
    quorumscope_web::run();
}
