fn main() {
    println!("ingot");
}
